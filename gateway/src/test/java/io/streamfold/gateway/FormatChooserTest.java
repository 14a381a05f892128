package io.streamfold.gateway;

import io.streamfold.aggregator.Format;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FormatChooserTest
{
    @Test
    void pathsAndContentTypesChooseTheirFormat()
    {
        assertEquals(Format.ANTHROPIC, FormatChooser.choose("/v1/messages?beta=true", "text/event-stream"));
        assertEquals(Format.OPENAI_CHAT, FormatChooser.choose("/openai/v1/chat/completions", "text/event-stream"));
        assertEquals(Format.OPENAI_RESPONSES, FormatChooser.choose("/v1/responses", "text/event-stream"));
        assertEquals(Format.GEMINI, FormatChooser.choose("/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse", null));
        assertEquals(Format.OLLAMA, FormatChooser.choose("/api/chat", "application/x-ndjson"));
        assertEquals(Format.OLLAMA, FormatChooser.choose("/anything", "application/x-ndjson; charset=utf-8"));
        assertEquals(Format.BEDROCK, FormatChooser.choose("/model/m/converse-stream", "application/vnd.amazon.eventstream"));
        assertEquals(Format.BEDROCK, FormatChooser.choose(null, "Application/VND.Amazon.EventStream"));
        // An invoke stream carries the model's own events (Claude's are Anthropic's): the bytes decide.
        assertEquals(Format.AUTO, FormatChooser.choose("/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/invoke-with-response-stream",
            "application/vnd.amazon.eventstream"));
        assertEquals(Format.AUTO, FormatChooser.choose("/v1/completions", "text/event-stream"));
        assertEquals(Format.AUTO, FormatChooser.choose("/proxy/xyz", "text/event-stream"));
        assertEquals(Format.AUTO, FormatChooser.choose(null, null));
    }

    @Test
    void streamingIsToldFromTheContentTypeOrGeminisStreamPath()
    {
        assertTrue(FormatChooser.isStreaming("/v1/chat/completions", "text/event-stream; charset=utf-8"));
        assertTrue(FormatChooser.isStreaming("/v1beta/models/m:streamGenerateContent", "application/json"));
        assertFalse(FormatChooser.isStreaming("/v1/chat/completions", "application/json"));
        assertFalse(FormatChooser.isStreaming("/v1/chat/completions", null));
    }
}
