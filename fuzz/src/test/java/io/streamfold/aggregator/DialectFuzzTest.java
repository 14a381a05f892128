package io.streamfold.aggregator;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Raw bytes into every dialect that exists in this build (the format is picked by the input), lenient
 * or strict: see {@link AggregatorFuzzing} for what is checked, the fast paths' invariant among it (the same
 * bytes and slices with the repeated-event fast path off give the same result, errors and listener deltas). A dialect that lands later is fuzzed
 * from then on without touching this class.
 */
class DialectFuzzTest
{
    // No entry holds CR or LF: jazzer-junit 0.24 writes them unescaped and libFuzzer then rejects the dictionary.
    @FuzzTest(maxDuration = "60s")
    @DictionaryEntries({
        "data: ", "data:", "event: ", "[DONE]", "{\"choices\":[{\"index\":0,\"delta\":{",
        "\"content\":\"", "\"reasoning_content\":", "\"tool_calls\":[{\"index\":", "\"function\":{\"name\":",
        "\"arguments\":\"", "\"finish_reason\":\"stop\"", "\"usage\":{\"prompt_tokens\":", "\"token_ids\":[",
        "\"logprobs\":{\"content\":[{\"token\":", "\"x_groq\":", "\"error\":", "\"function_call\":", "\"role\":",
        "\"refusal\":", "\"text\":", "\"type\":\"thinking\"", "\\ud83d\\ude00", "\"id\":\"", "message_start",
        "content_block_delta", "\"candidates\":[", "\"message\":{", "\"done\":true", ":event-type",
        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"", "\"}}     ",
        "\"citation\":{", "\"partial_json\":\"", "response.output_text.delta", "\"sequence_number\":",
        "\"obfuscation\":\"", "\"delta\":\"", "\"token_id\":", "\"logprob\":-0.25", "\"top_logprobs\":[",
        "\"bytes\":[", "\"completion_tokens\":", "\"total_tokens\":", "\"reasoning\":\"", "\"seed\":null",
        "{\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"", "\"}],\"role\": \"model\"},\"index\": 0}],",
        "\"usageMetadata\": {\"promptTokenCount\": ", "\"candidatesTokenCount\": ", "\"totalTokenCount\": ",
        "\"thoughtsTokenCount\":", "\"promptTokensDetails\": [{\"modality\": \"TEXT\",\"tokenCount\": 15}]",
        "\"thought\": true", "\"thoughtSignature\":", "\"finishReason\": \"STOP\"", "\"safetyRatings\": [",
        "\"groundingMetadata\": {}", "\"modelVersion\": \"gemini-2.5-flash\"", "\"partialArgs\":[{\"jsonPath\":",
        "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"", "web_search_tool_result",
        "server_tool_use", "\"citations_delta\",\"citation\":{", "\"encrypted_content\":\"", "\"citations\":[",
        "{\"type\":\"response.output_item.done\",\"output_index\":0,\"item\":{", "\"response\":{\"output\":[",
        "web_search_call", "\"annotation\":{\"type\":\"url_citation\"", "\"type\":\"reasoning\""
    })
    void anyBytes(final FuzzedDataProvider data)
    {
        final Format format = data.pickValue(AggregatorFuzzing.AVAILABLE);
        final boolean strict = data.consumeBoolean();
        final int[] cuts = cuts(data);
        AggregatorFuzzing.check(format, strict, data.consumeRemainingAsBytes(), cuts);
    }

    static int[] cuts(final FuzzedDataProvider data)
    {
        final int[] cuts = new int[data.consumeInt(0, 12)];
        for (int i = 0; i < cuts.length; i++)
        {
            cuts[i] = data.consumeInt(0, 1 << 16);
        }
        return cuts;
    }
}
