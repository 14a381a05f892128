package io.streamfold.aggregator.internal.fold;

import java.util.Optional;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import io.streamfold.aggregator.Format;

/**
 * Output tokens for a stream that reported no usage, by the first rule that applies:
 * <ol>
 *   <li>{@code token_ids}: the stream carried token ids for every choice with content (vLLM
 *   {@code return_token_ids}): their number, exact.</li>
 *   <li>{@code jtokkit:<encoding>}: an OpenAI chat or Responses stream whose model the jtokkit tokenizer knows:
 *   that tokenizer run over the folded text, reasoning, refusal and tool-call names and arguments. Exact for the
 *   visible text; message framing tokens are not counted.</li>
 *   <li>{@code chars/4}: one token per four characters of the same text, rounded up: the usual rule of thumb for
 *   English text, a rough figure for code and for other languages.</li>
 * </ol>
 * Runs once, when the stream ends; allocates.
 */
final class UsageEstimate
{
    static final String TOKEN_IDS = "token_ids";
    static final String CHARS_PER_TOKEN = "chars/4";

    private UsageEstimate()
    {
    }

    static void estimate(final MutableAggregate a)
    {
        final MutableUsage usage = a.usage();
        long ids = 0;
        boolean allHaveIds = a.choiceCount() > 0;
        final StringBuilder text = new StringBuilder();
        // A fold that dropped the streamed text still counted it: the chars/4 rule needs no more.
        long dropped = 0;
        for (int i = 0; i < a.choiceCount(); i++)
        {
            final MutableChoice c = a.choiceAt(i);
            ids += c.tokenIdsHeard();
            if (c.tokenIdsHeard() == 0 && c.partCount() > 0)
            {
                allHaveIds = false;
            }
            for (int j = 0; j < c.partCount(); j++)
            {
                final MutablePart p = c.part(j);
                if (p.kind() != MutablePart.Kind.OTHER)
                {
                    text.append(p.name()).append(p.text());
                    dropped += p.contentLength() - p.text().length();
                }
            }
        }
        if (allHaveIds && ids > 0)
        {
            usage.estimated(ids, TOKEN_IDS);
            return;
        }
        final Encoding encoding = dropped == 0 ? openAiEncoding(a) : null;
        if (encoding != null)
        {
            replaceLoneSurrogates(text);
            usage.estimated(encoding.countTokens(text.toString()), "jtokkit:" + encoding.getName());
            return;
        }
        usage.estimated((text.length() + dropped + 3) / 4, CHARS_PER_TOKEN);
    }

    /**
     * A JSON string may hold a lone surrogate ({@code "\\ud83d"}) and the text keeps it, but jtokkit's cl100k parser
     * asserts its input encodes to UTF-8: each is counted as the U+FFFD that encoding it prints.
     */
    private static void replaceLoneSurrogates(final StringBuilder text)
    {
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1)))
            {
                i++;
            }
            else if (Character.isSurrogate(c))
            {
                text.setCharAt(i, '\uFFFD');
            }
        }
    }

    private static Encoding openAiEncoding(final MutableAggregate a)
    {
        if (a.format() != Format.OPENAI_CHAT && a.format() != Format.OPENAI_RESPONSES)
        {
            return null;
        }
        final MutableRawJson model = a.meta().get("model");
        if (model == null || model.type() != MutableRawJson.Type.STRING || model.text().length() == 0)
        {
            return null;
        }
        final Optional<Encoding> encoding = Registry.INSTANCE.getEncodingForModel(model.text().toString());
        return encoding.orElse(null);
    }

    /** Built on first use: a stream that reports usage never loads the tokenizer's tables. */
    private static final class Registry
    {
        static final EncodingRegistry INSTANCE = Encodings.newLazyEncodingRegistry();
    }
}
