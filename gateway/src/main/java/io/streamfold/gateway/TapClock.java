package io.streamfold.gateway;

/** Where a tap reads time: injectable so records can be tested with exact times. */
public interface TapClock
{
    /** The system clocks. */
    TapClock SYSTEM = new TapClock()
    {
        @Override
        public long nanoTime()
        {
            return System.nanoTime();
        }

        @Override
        public long epochMillis()
        {
            return System.currentTimeMillis();
        }
    };

    /** @return a monotonic time in nanoseconds, for durations. */
    long nanoTime();

    /** @return wall-clock milliseconds since the epoch, for the record's start time. */
    long epochMillis();
}
