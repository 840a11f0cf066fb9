package io.github.perfkit.servlet.internal;

/** A request parameter was missing or invalid; carries the parameter's name. Not thread-safe (an exception). */
public final class BadRequest extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String parameter;

    /**
     * @param parameter the parameter's name (cut to 64 characters)
     * @param message what is wrong and what is accepted
     */
    public BadRequest(String parameter, String message) {
        super(message);
        this.parameter = parameter.length() > 64 ? parameter.substring(0, 64) : parameter;
    }

    /** @return the parameter's name */
    public String parameter() {
        return parameter;
    }
}
