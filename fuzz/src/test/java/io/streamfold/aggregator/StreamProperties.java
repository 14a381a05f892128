package io.streamfold.aggregator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.streamfold.aggregator.internal.InternalErrors;
import io.streamfold.aggregator.internal.fold.MutableAggregate;
import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.StreamError;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Structure-aware properties: valid generated streams of every format with a dialect, fed in random
 * slices, fold to exactly the generator's message; then damaged streams (truncated anywhere, garbage
 * events inserted, events duplicated, a byte dropped) either fold to the message or carry precise
 * errors, and keep everything before the damage. For OpenAI chat a tree-model oracle must agree.
 */
class StreamProperties
{
    /** One generator per format; add a format's class here. Formats without a dialect yet are left out. */
    static final List<StreamGenerator> GENERATORS = available(List.of(new OpenAiChatStreams(), new AnthropicMessagesStreams(),
        new OpenAiResponsesStreams(), new GeminiStreams(false), new GeminiStreams(true), new OllamaStreams(), new BedrockConverseStreams()));

    private static List<StreamGenerator> available(final List<StreamGenerator> all)
    {
        final List<StreamGenerator> kept = new ArrayList<>();
        for (final StreamGenerator g : all)
        {
            if (AggregatorFuzzing.AVAILABLE.contains(g.format()))
            {
                kept.add(g);
            }
        }
        return kept;
    }

    /** Roomy limits: generated streams must never hit one. */
    private static final AggregationLimits ROOMY = AggregationLimits.DEFAULT;

    @Provide
    Arbitrary<StreamGenerator.Generated> streams()
    {
        final List<Arbitrary<StreamGenerator.Generated>> all = new ArrayList<>();
        GENERATORS.forEach(g -> all.add(g.streams()));
        return Arbitraries.oneOf(all);
    }

    @Provide
    Arbitrary<StreamGenerator.Generated> openAiChat()
    {
        return new OpenAiChatStreams().streams();
    }

    @Property(tries = 200)
    void foldsToTheGeneratorsMessage(@ForAll("streams") final StreamGenerator.Generated g,
        @ForAll @Size(max = 12) final List<@IntRange(min = 0, max = 1 << 16) Integer> cuts)
    {
        final byte[] bytes = g.bytes();
        final StreamAggregator whole = fold(g.format(), bytes, new int[] { bytes.length });
        final StreamAggregator sliced = fold(g.format(), bytes, AggregatorFuzzing.slices(toArray(cuts), bytes.length));
        assertEquals(List.of(), whole.result().errors());
        assertEquals(Outcome.COMPLETE, whole.result().outcome());
        assertEquals(g.expected(), Message.of(whole.result()));
        assertEquals(whole.result().toJson(), sliced.result().toJson());
        assertEquals(g.expected(), Message.of(sliced.result()));
    }

    @Property(tries = 200)
    void fastPathAgreesWithTheOracle(@ForAll("openAiChat") final StreamGenerator.Generated g)
    {
        final byte[] bytes = g.bytes();
        final OpenAiChatOracle oracle = OpenAiChatOracle.fold(bytes);
        assertEquals(0, oracle.malformed);
        assertEquals(oracle.message.build(), Message.of(fold(Format.OPENAI_CHAT, bytes, new int[] { bytes.length }).result()));
    }

    /** The oracle's own verdict at every cut; few tries, the generic property below covers chat cuts too. */
    @Property(tries = 6)
    void truncatedAnywhereKeepsEveryCompleteEvent(@ForAll("openAiChat") final StreamGenerator.Generated g)
    {
        final byte[] bytes = g.bytes();
        for (int cut = 0; cut <= bytes.length; cut++)
        {
            final byte[] prefix = java.util.Arrays.copyOf(bytes, cut);
            // The internal fold state: the property also checks that every choice finished.
            final MutableAggregate a = (MutableAggregate)fold(Format.OPENAI_CHAT, prefix, new int[] { cut }).result();
            final OpenAiChatOracle oracle = OpenAiChatOracle.fold(prefix);
            assertEquals(oracle.message.build(), Message.of(a), "cut at " + cut);
            for (final StreamError e : a.errors())
            {
                assertEquals(ErrorKind.TRUNCATED, e.kind(), "cut at " + cut);
            }
            if (a.outcome() == Outcome.TRUNCATED)
            {
                assertFalse(a.errors().isEmpty(), "truncated without an error, cut at " + cut);
            }
            else
            {
                assertEquals(Outcome.COMPLETE, a.outcome());
                assertTrue(oracle.done || a.allChoicesFinished(), "complete without [DONE] or every finish, cut at " + cut);
            }
        }
    }

    @Property(tries = 120)
    void garbageEventsAreReportedAndSkipped(@ForAll("streams") final StreamGenerator.Generated g,
        @ForAll @Size(min = 1, max = 4) final List<@IntRange(min = 0, max = 1000) Integer> positions,
        @ForAll @Size(min = 4, max = 4) final List<@IntRange(min = 0, max = 1000) Integer> picks)
    {
        final StreamGenerator generator = g.generator();
        final List<byte[]> events = new ArrayList<>(g.events());
        final List<byte[]> garbage = generator.garbageEvent().list().ofSize(4).sample();
        final int first = generator.firstGarbagePosition();
        for (int i = 0; i < positions.size(); i++)
        {
            // Never after the last event: what follows a terminal event is ignored by design.
            events.add(first + positions.get(i) % (events.size() - first), garbage.get(picks.get(i) % garbage.size()));
        }
        final Aggregate a = fold(g.format(), concat(events), null).result();
        assertEquals(g.expected(), Message.of(a));
        assertEquals(Outcome.COMPLETE, a.outcome());
        assertEquals(positions.size(), a.errors().size(), () -> a.errors().toString());
        for (final StreamError e : a.errors())
        {
            assertTrue(generator.garbageErrors().contains(e.kind()), e.toString());
        }
    }

    /**
     * Issue 9, classes 1 and 4: an event damaged after all its fields (ill-formed UTF-8 in a string, or a syntax
     * error) is skipped whole, so the stream folds exactly as if the event had never been sent, and no
     * character decoded from ill-formed bytes reaches the result.
     */
    @Property(tries = 200)
    void aDamagedEventContributesNothing(@ForAll("streams") final StreamGenerator.Generated g,
        @ForAll @IntRange(min = 0, max = 1000) final int pick,
        @ForAll("damage") final byte[] damage)
    {
        // Eventstream frames carry lengths and checksums: damage there is a framing matter, not this one.
        Assume.that(g.format() != Format.BEDROCK);
        final List<byte[]> events = g.events();
        final int first = g.generator().firstGarbagePosition();
        final int last = Math.min(events.size(), g.terminal()) - 1;
        Assume.that(last >= first);
        final int at = first + pick % (last - first + 1);
        final byte[] event = events.get(at);
        int close = -1;
        for (int i = event.length - 1; i >= 0 && close < 0; i--)
        {
            close = event[i] == '}' ? i : -1;
        }
        Assume.that(close > 0);
        final List<byte[]> damaged = new ArrayList<>(events);
        damaged.set(at, concat(List.of(java.util.Arrays.copyOfRange(event, 0, close), damage,
            java.util.Arrays.copyOfRange(event, close, event.length))));
        final List<byte[]> without = new ArrayList<>(events);
        without.remove(at);
        final Aggregate a = fold(g.format(), concat(damaged), null).result();
        final Aggregate b = fold(g.format(), concat(without), null).result();
        assertEquals(Message.of(b), Message.of(a));
        assertEquals(b.outcome(), a.outcome());
        assertEquals(b.toJson(), a.toJson());
        assertEquals(b.errors().size() + 1, a.errors().size(), () -> a.errors().toString());
        assertTrue(a.errors().stream().anyMatch(e -> e.kind() == ErrorKind.MALFORMED_JSON), () -> a.errors().toString());
        // The damage is a field named zz: nothing of it may be kept (U+FFFD may be generated text, so not checked).
        // A generated id may itself hold "zz" (call_zz); then the equal JSON above already says nothing was kept.
        if (!b.toJson().contains("zz") && !b.toNormalizedJson().contains("zz"))
        {
            assertFalse(a.toJson().contains("zz") || a.toNormalizedJson().contains("zz"), a::toJson);
        }
    }

    /** Field names that belong to a choice (candidate) of each format with choices, and never to the response. */
    private static final java.util.Map<Format, Set<String>> CHOICE_FIELDS = java.util.Map.of(
        Format.OPENAI_CHAT, Set.of("index", "delta", "message", "finish_reason", "logprobs"),
        Format.GEMINI, Set.of("index", "content", "finishReason", "safetyRatings", "citationMetadata", "avgLogprobs", "logprobsResult"));

    @Provide
    Arbitrary<StreamGenerator.Generated> withChoices()
    {
        return Arbitraries.oneOf(new OpenAiChatStreams().streams(), new GeminiStreams(false).streams());
    }

    /**
     * Issue 9, class 2: an index of the wrong JSON type (holding a choice's own fields, even) is skipped whole; the
     * reader never loses its place, so no field of a choice ever lands at the top level of the result and the
     * response's usage stays the response's.
     */
    @Property(tries = 200)
    void noChoiceFieldEverLandsAtTheTopLevel(@ForAll("withChoices") final StreamGenerator.Generated g,
        @ForAll @IntRange(min = 0, max = 1000) final int pick,
        @ForAll("mistypedIndex") final String value)
    {
        final List<byte[]> events = g.events();
        final List<Integer> withIndex = new ArrayList<>();
        for (int i = 0; i < events.size(); i++)
        {
            if (new String(events.get(i), java.nio.charset.StandardCharsets.UTF_8).matches("(?s).*\"index\": ?[0-9].*"))
            {
                withIndex.add(i);
            }
        }
        Assume.that(!withIndex.isEmpty());
        final int at = withIndex.get(pick % withIndex.size());
        final String event = new String(events.get(at), java.nio.charset.StandardCharsets.UTF_8);
        final List<byte[]> damaged = new ArrayList<>(events);
        damaged.set(at, event.replaceFirst("\"index\":( ?)[0-9]+", "\"index\":$1" + java.util.regex.Matcher.quoteReplacement(value))
            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        final Aggregate a = fold(g.format(), concat(damaged), null).result();
        final Aggregate clean = fold(g.format(), concat(events), null).result();
        final java.util.Map<String, Object> top = io.streamfold.testkit.JsonTree.objectByValue(a.toJson());
        for (final String field : CHOICE_FIELDS.get(g.format()))
        {
            assertFalse(top.containsKey(field), () -> "choice field '" + field + "' at the top level: " + a.toJson());
        }
        assertEquals(io.streamfold.testkit.JsonTree.objectByValue(clean.toJson()).get(g.format() == Format.GEMINI ? "usageMetadata" : "usage"),
            top.get(g.format() == Format.GEMINI ? "usageMetadata" : "usage"), a::toJson);
        assertTrue(a.errors().stream().anyMatch(e -> e.kind() == ErrorKind.MALFORMED_JSON && e.message().contains("index")),
            () -> a.errors().toString());
    }

    @Provide
    Arbitrary<String> mistypedIndex()
    {
        return Arbitraries.of("\"0\"", "1.5", "1e309", "null", "true", "-1",
            "[{\"finish_reason\":\"stop\",\"usage\":{\"total_tokens\":7}}]",
            "{\"delta\":{\"content\":\"zz\"},\"usage\":{\"prompt_tokens\":1},\"finishReason\":\"STOP\"}");
    }

    @Provide
    Arbitrary<byte[]> damage()
    {
        return Arbitraries.of(
            new byte[]{',', '"', 'z', 'z', '"', ':', '"', (byte)0xC0, (byte)0xAF, '"'},
            new byte[]{',', '"', 'z', 'z', '"', ':', '"', (byte)0xED, (byte)0xA0, (byte)0x80, '"'},
            new byte[]{',', '"', 'z', 'z', '"', ':', '"', (byte)0xF4, (byte)0x90, (byte)0x80, (byte)0x80, '"'},
            new byte[]{',', '"', 'z', 'z', '"', ':', '"', 'a', (byte)0x80, '"'},
            new byte[]{',', '"', 'z', 'z', '"', ':', '[', '1', ' ', '2', ']'},
            new byte[]{',', '"', 'z', 'z', '"', ':', 't', 'r', 'u'},
            new byte[]{',', '"', 'z', 'z', '"', ':', '0', '1'},
            new byte[]{',', '"', 'z', 'z', '"', ':', '{', '"', 'a', '"', ':', '1', ',', '}'});
    }

    @Property(tries = 200)
    void duplicatedEventsFoldAsTheOracleSays(@ForAll("openAiChat") final StreamGenerator.Generated g,
        @ForAll @Size(min = 1, max = 4) final List<@IntRange(min = 0, max = 1000) Integer> duplicated)
    {
        final List<byte[]> events = new ArrayList<>(g.events());
        for (final int d : duplicated)
        {
            final int at = d % events.size();
            events.add(at, events.get(at));
        }
        final byte[] bytes = concat(events);
        final OpenAiChatOracle oracle = OpenAiChatOracle.fold(bytes);
        final Aggregate a = fold(Format.OPENAI_CHAT, bytes, null).result();
        assertEquals(List.of(), a.errors());
        assertEquals(oracle.message.build(), Message.of(a));
    }

    @Property(tries = 300)
    void droppedByteKeepsEverythingBefore(@ForAll("openAiChat") final StreamGenerator.Generated g,
        @ForAll @IntRange(min = 0, max = 1 << 20) final int where)
    {
        final byte[] bytes = g.bytes();
        final int drop = where % bytes.length;
        final byte[] damaged = new byte[bytes.length - 1];
        System.arraycopy(bytes, 0, damaged, 0, drop);
        System.arraycopy(bytes, drop + 1, damaged, drop, bytes.length - drop - 1);
        int intact = 0;
        int end = 0;
        final List<byte[]> before = new ArrayList<>();
        for (final byte[] e : g.events())
        {
            if (end + e.length > drop)
            {
                break;
            }
            end += e.length;
            before.add(e);
            intact++;
        }
        Assume.that(intact < g.events().size());
        final Aggregate a = fold(Format.OPENAI_CHAT, damaged, null).result();
        final Message kept = OpenAiChatOracle.fold(concat(before)).message.build();
        final Message got = Message.of(a);
        for (final var e : kept.choices().entrySet())
        {
            final Message.ChoiceModel k = e.getValue();
            final Message.ChoiceModel c = got.choices().get(e.getKey());
            assertTrue(c != null && c.text().startsWith(k.text()) && c.reasoning().startsWith(k.reasoning()) &&
                c.tokenIds().subList(0, Math.min(c.tokenIds().size(), k.tokenIds().size())).equals(k.tokenIds()) &&
                c.tokenIds().size() >= k.tokenIds().size(), "lost what came before the damage: " + k + " vs " + c);
        }
        // A damaged chunk can land after its choice's finish (LATE_DATA): not folded, which the oracle does not model.
        // A byte dropped inside a usage count or its name leaves counts that no longer add up: reported, rightly.
        final Set<ErrorKind> allowed =
            Set.of(ErrorKind.MALFORMED_JSON, ErrorKind.TRUNCATED, ErrorKind.LATE_DATA, ErrorKind.INCONSISTENT_USAGE);
        for (final StreamError e : a.errors())
        {
            assertTrue(allowed.contains(e.kind()), e.toString());
        }
        final OpenAiChatOracle oracle = OpenAiChatOracle.fold(damaged);
        if (oracle.unmodelled || a.errors().stream().anyMatch(e -> e.kind() == ErrorKind.LATE_DATA))
        {
            return;
        }
        if (a.errors().isEmpty())
        {
            assertEquals(0, oracle.malformed, "the oracle rejects an event the fast path took");
            assertEquals(oracle.message.build(), got);
        }
        else if (oracle.malformed == 0)
        {
            // The fast path complained: only the end of the stream may differ (a lost [DONE] or finish).
            // Or a byte dropped inside a usage count or its name, which no longer adds up.
            assertTrue(a.errors().stream().allMatch(e -> e.kind() == ErrorKind.TRUNCATED || e.kind() == ErrorKind.INCONSISTENT_USAGE),
                a.errors().toString());
            assertEquals(oracle.message.build(), got);
        }
    }

    @Property(tries = 14)
    void truncatedAnywhereFoldsTheCompleteEvents(@ForAll("streams") final StreamGenerator.Generated g)
    {
        final byte[] bytes = g.bytes();
        final StreamGenerator generator = g.generator();
        int boundary = 0;
        int nextEvent = 0;
        for (int cut = 0; cut <= bytes.length; cut++)
        {
            while (nextEvent < g.events().size() && boundary + g.events().get(nextEvent).length <= cut)
            {
                boundary += g.events().get(nextEvent++).length;
            }
            final int kept = generator.completeEvents(g.events(), cut);
            // The outcome is never COMPLETE when the input ends inside a frame. A keepalive comment is no frame:
            // cut inside one, the tokenizer may or may not call the partial line a truncation; both are right.
            final boolean inComment = cut > boundary && nextEvent < g.events().size() && g.events().get(nextEvent)[0] == ':';
            final boolean clean = cut == boundary || kept > nextEvent || !generator.cutAfterTerminalTruncates() || inComment;
            final byte[] prefix = java.util.Arrays.copyOf(bytes, cut);
            final Aggregate a = fold(g.format(), prefix, null).result();
            final String where = generator.name() + " cut at " + cut + " after " + kept + " events";
            for (final StreamError e : a.errors())
            {
                assertTrue(generator.truncationErrors().contains(e.kind()), where + ": " + e);
            }
            if (generator.appliesCutEventsInPart() && !clean)
            {
                assertKept(g.prefixes().get(kept), Message.of(a));
                continue;
            }
            assertEquals(g.prefixes().get(kept), Message.of(a), where);
            final boolean complete = generator.completeAfter(g, kept);
            if (inComment && complete)
            {
                assertTrue(a.outcome() == Outcome.COMPLETE || a.outcome() == Outcome.TRUNCATED, where);
            }
            else if (complete && clean)
            {
                assertEquals(Outcome.COMPLETE, a.outcome(), where + ": " + a.errors());
            }
            else
            {
                assertEquals(Outcome.TRUNCATED, a.outcome(), where);
                assertFalse(a.errors().isEmpty(), "truncated without an error, " + where);
            }
        }
    }

    /**
     * A streamed JSON array can only be resynchronised by the framer on its own terms: bytes between two
     * elements that are neither ',' nor ']' are a MALFORMED_FRAMING error and the framer stops there. Every
     * element before stays folded; the outcome is then what they make it: complete if every candidate had
     * finished (the junk only replaced the closing ']'), else truncated.
     */
    @Property(tries = 60)
    void garbageBetweenArrayElementsStopsTheFramingAndKeepsWhatCameBefore(@ForAll("geminiArray") final StreamGenerator.Generated g,
        @ForAll @IntRange(min = 0, max = 1000) final int position,
        @ForAll("framingGarbage") final String garbage)
    {
        final List<byte[]> events = new ArrayList<>(g.events());
        final int at = 1 + position % (events.size() - 1);
        events.add(at, garbage.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        final Aggregate a = fold(g.format(), concat(events), null).result();
        assertEquals(g.prefixes().get(at), Message.of(a));
        assertEquals(ErrorKind.MALFORMED_FRAMING, a.errors().get(0).kind(), a.errors().toString());
        // The framer stopped without seeing the end: the outcome is what the folded elements make it.
        final Message kept = g.prefixes().get(at);
        if (!kept.choices().isEmpty() && kept.choices().values().stream().allMatch(c -> !c.finishReason().isEmpty()))
        {
            assertEquals(Outcome.COMPLETE, a.outcome());
            assertEquals(1, a.errors().size(), a.errors().toString());
        }
        else
        {
            assertEquals(Outcome.TRUNCATED, a.outcome());
            assertEquals(List.of(ErrorKind.MALFORMED_FRAMING, ErrorKind.TRUNCATED), a.errors().stream().map(StreamError::kind).toList());
        }
    }

    @Provide
    Arbitrary<StreamGenerator.Generated> geminiArray()
    {
        return new GeminiStreams(true).streams();
    }

    @Provide
    Arbitrary<String> framingGarbage()
    {
        return Arbitraries.of("x", " {}", "data: {}\n\n", "}", "\"a\"", "{}", "nul", "\u0000");
    }

    @Property(tries = 150)
    void duplicatedEventsKeepEverythingBefore(@ForAll("streams") final StreamGenerator.Generated g,
        @ForAll @IntRange(min = 0, max = 1000) final int duplicated, @ForAll @IntRange(min = 1, max = 3) final int copies)
    {
        final List<byte[]> events = new ArrayList<>(g.events());
        final int at = duplicated % events.size();
        for (int i = 0; i < copies; i++)
        {
            events.add(at, events.get(at));
        }
        final Aggregate a = fold(g.format(), concat(events), null).result();
        // A last event without its terminator runs into its copy: one malformed event, the original lost too.
        final boolean merges = at == g.events().size() - 1 && g.generator().deliversUnterminatedEvent() &&
            !endsLine(g.events().get(at));
        assertKept(g.prefixes().get(merges ? at : at + 1), Message.of(a));
        for (final StreamError e : a.errors())
        {
            assertTrue(g.generator().damageErrors().contains(e.kind()), e.toString());
        }
    }

    @Property(tries = 300)
    void droppedByteKeepsEveryEventBefore(@ForAll("streams") final StreamGenerator.Generated g,
        @ForAll @IntRange(min = 0, max = 1 << 20) final int where)
    {
        final byte[] bytes = g.bytes();
        final int drop = where % bytes.length;
        final byte[] damaged = new byte[bytes.length - 1];
        System.arraycopy(bytes, 0, damaged, 0, drop);
        System.arraycopy(bytes, drop + 1, damaged, drop, bytes.length - drop - 1);
        final int intact = g.generator().completeEvents(g.events(), drop);
        final Aggregate a = fold(g.format(), damaged, null).result();
        assertKept(g.prefixes().get(Math.min(intact, g.events().size() - 1)), Message.of(a));
        for (final StreamError e : a.errors())
        {
            // A byte dropped inside a usage count or its name leaves counts that no longer add up: reported, rightly.
            assertTrue(g.generator().damageErrors().contains(e.kind()) || e.kind() == ErrorKind.INCONSISTENT_USAGE, e.toString());
        }
    }

    private static boolean endsLine(final byte[] event)
    {
        return event.length > 0 && event[event.length - 1] == '\n';
    }

    /**
     * Everything in {@code before} is still in {@code got}: choices, calls, text and token ids as prefixes. Not
     * the finish reason: a damaged later event can still be valid JSON that finishes the choice again.
     */
    static void assertKept(final Message before, final Message got)
    {
        for (final var e : before.choices().entrySet())
        {
            final Message.ChoiceModel k = e.getValue();
            final Message.ChoiceModel c = got.choices().get(e.getKey());
            final String lost = "lost what came before the damage: " + k + " vs " + c;
            assertTrue(c != null && c.text().startsWith(k.text()) && c.reasoning().startsWith(k.reasoning()) &&
                c.tokenIds().size() >= k.tokenIds().size() &&
                c.tokenIds().subList(0, k.tokenIds().size()).equals(k.tokenIds()) &&
                c.calls().size() >= k.calls().size(), lost);
            for (int i = 0; i < k.calls().size(); i++)
            {
                final Message.Call was = k.calls().get(i);
                final Message.Call is = c.calls().get(i);
                assertTrue(was.id().equals(is.id()) && was.name().equals(is.name()) && is.arguments().startsWith(was.arguments()), lost);
            }
        }
    }

    private static StreamAggregator fold(final Format format, final byte[] bytes, final int[] ends)
    {
        final StreamAggregator aggregator = StreamAggregator.builder().format(format).limits(ROOMY).build();
        aggregator.feed(bytes, 0, bytes.length);
        if (ends != null && ends.length > 1)
        {
            aggregator.reset();
            int from = 0;
            for (final int to : ends)
            {
                aggregator.feed(java.util.Arrays.copyOfRange(bytes, from, to), 0, to - from);
                from = to;
            }
        }
        aggregator.end();
        for (final StreamError e : aggregator.result().errors())
        {
            assertFalse(e.message().startsWith(InternalErrors.PREFIX), e.toString());
        }
        return aggregator;
    }

    private static int[] toArray(final List<Integer> list)
    {
        return list.stream().mapToInt(Integer::intValue).toArray();
    }

    static byte[] concat(final List<byte[]> parts)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }
}
