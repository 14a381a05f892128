package io.streamfold.gateway;

import java.util.Locale;

/** How one proxied request ended, from the gateway's point of view: the stream's own outcome or what cut it. */
public enum GatewayOutcome
{
    /** The provider's terminal event arrived (or the JSON document was whole) and every choice finished. */
    COMPLETE,
    /** The body ended before the provider said the response was complete. */
    TRUNCATED,
    /** The provider reported an error inside a 2xx body. */
    PROVIDER_ERROR,
    /** The downstream client went away (or cancelled) before the response ended. */
    CLIENT_ABORTED,
    /** The upstream connection closed or failed in the middle of the body. */
    UPSTREAM_RESET,
    /** The upstream stopped sending for longer than the configured timeout. */
    UPSTREAM_TIMEOUT,
    /** The upstream answered with an HTTP error status; its body is kept in the record. */
    UPSTREAM_HTTP_ERROR,
    /** A policy (guardrail) asked to end the stream. */
    POLICY_STOP;

    /** @return the name in records and metrics ({@code client_aborted}). */
    public String label()
    {
        return name().toLowerCase(Locale.ROOT);
    }
}
