package io.streamfold.aggregator;

/** The wire formats streamfold folds. Each maps to one dialect; {@link #AUTO} detects it from the first event. */
public enum Format
{
    /** Detect the format from the first bytes and the first event. */
    AUTO("auto"),
    /** OpenAI Chat Completions chunks and every OpenAI-compatible server (Together, vLLM, Groq, DeepSeek...). */
    OPENAI_CHAT("openai-chat"),
    /** OpenAI Responses API events. */
    OPENAI_RESPONSES("openai-responses"),
    /** Anthropic Messages events. */
    ANTHROPIC("anthropic"),
    /** Google Gemini / Vertex {@code streamGenerateContent}, SSE or streamed JSON array. */
    GEMINI("gemini"),
    /** Ollama's native NDJSON ({@code /api/chat}, {@code /api/generate}). */
    OLLAMA("ollama"),
    /** AWS Bedrock ConverseStream ({@code application/vnd.amazon.eventstream}). */
    BEDROCK("bedrock");

    private final String cliName;

    Format(final String cliName)
    {
        this.cliName = cliName;
    }

    /** @return the name used on the command line and in output ({@code openai-chat}). */
    public String cliName()
    {
        return cliName;
    }

    /**
     * @param name a {@link #cliName()} or an enum constant name, any case.
     * @return the format.
     * @throws IllegalArgumentException when no format has that name.
     */
    public static Format fromName(final String name)
    {
        for (final Format f : values())
        {
            if (f.cliName.equalsIgnoreCase(name) || f.name().equalsIgnoreCase(name))
            {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown format '" + name + "'; expected one of " + names());
    }

    /** @return the CLI names, comma separated. */
    public static String names()
    {
        final StringBuilder sb = new StringBuilder();
        for (final Format f : values())
        {
            if (sb.length() > 0)
            {
                sb.append(", ");
            }
            sb.append(f.cliName);
        }
        return sb.toString();
    }
}
