package io.streamfold.aggregator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The oracle's rules where the dropped-byte property found it and the dialect apart. */
class OpenAiChatOracleTest
{
    private static String chunk(final String choices)
    {
        return "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"choices\":[" + choices + "]}\n\n";
    }

    /**
     * A byte dropped from choice 1's {@code "index"} key sends its call start to choice 0, where index 0 is taken
     * by another id: the dialect starts a new call there (servers that reuse an index), and so must the oracle.
     */
    @Test
    void aDifferentIdAtAUsedIndexStartsANewCallThatOwnsTheIndex()
    {
        final String stream =
            chunk("{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_a\",\"type\":\"function\"," +
                "\"function\":{\"name\":\"V\",\"arguments\":\"\"}}]},\"finish_reason\":null}") +
            chunk("{\"inde\":1,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_F\",\"type\":\"function\"," +
                "\"function\":{\"name\":\"N\",\"arguments\":\"\"}}]},\"finish_reason\":null}") +
            chunk("{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{}\"}}]},\"finish_reason\":null}") +
            chunk("{\"index\":1,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"[]\"}}]},\"finish_reason\":null}") +
            "data: [DONE]\n\n";
        final byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        final Message oracle = OpenAiChatOracle.fold(bytes).message.build();
        assertEquals(List.of(new Message.Call("call_a", "V", ""), new Message.Call("call_F", "N", "{}")),
            oracle.choices().get(0L).calls());
        assertEquals(List.of(new Message.Call("", "", "[]")), oracle.choices().get(1L).calls());

        final StreamAggregator a = StreamAggregator.builder().format(Format.OPENAI_CHAT).build();
        a.feed(bytes, 0, bytes.length);
        a.end();
        assertEquals(List.of(), a.result().errors());
        assertEquals(oracle, Message.of(a.result()));
    }
}
