package io.streamfold.aggregator.internal.dialect.openai.responses;

import io.streamfold.aggregator.internal.fold.MutablePart;
import io.streamfold.aggregator.internal.fold.MutableRawList;

/** A content or summary part of an item, with the logprobs streamed for it. */
final class Slot
{
    boolean summary;
    long index;
    MutablePart part;
    final MutableRawList logprobs = new MutableRawList();
    /** Whether any entry was heard for this part: the list stays empty in a fold that drops streamed content. */
    boolean logprobsStreamed;
}
