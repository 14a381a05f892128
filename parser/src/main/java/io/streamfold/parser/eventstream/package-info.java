/** AWS {@code application/vnd.amazon.eventstream} framing, as Amazon Bedrock streams it. */
package io.streamfold.parser.eventstream;
