package io.github.perfkit.benchmarks;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.Cookie;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A minimal in-memory response for {@link FilterBenchmark}: status and headers in fields, a body stream that discards;
 * everything else answers null, 0 or false. Not thread-safe.
 */
final class StubResponse implements jakarta.servlet.http.HttpServletResponse {

    private static final ServletOutputStream DISCARD = new ServletOutputStream() {
        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
        }

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    };

    private final Map<String, String> headers = new HashMap<>(8);
    private int status = 200;

    @Override
    public void addCookie(Cookie a0) {
    }

    @Override
    public boolean containsHeader(String a0) {
        return false;
    }

    @Override
    public String encodeURL(String a0) {
        return null;
    }

    @Override
    public String encodeRedirectURL(String a0) {
        return null;
    }

    @Override
    public void sendError(int a0, String a1) throws java.io.IOException {
    }

    @Override
    public void sendError(int a0) throws java.io.IOException {
    }

    @Override
    public void sendRedirect(String a0) throws java.io.IOException {
    }

    @Override
    public void setDateHeader(String a0, long a1) {
    }

    @Override
    public void addDateHeader(String a0, long a1) {
    }

    @Override
    public void setHeader(String name, String value) {
        headers.put(name, value);
    }

    @Override
    public void addHeader(String a0, String a1) {
    }

    @Override
    public void setIntHeader(String a0, int a1) {
    }

    @Override
    public void addIntHeader(String a0, int a1) {
    }

    @Override
    public void setStatus(int status) {
        this.status = status;
    }

    @Override
    public int getStatus() {
        return status;
    }

    @Override
    public String getHeader(String name) {
        return headers.get(name);
    }

    @Override
    public java.util.Collection<String> getHeaders(String a0) {
        return null;
    }

    @Override
    public java.util.Collection<String> getHeaderNames() {
        return null;
    }

    @Override
    public String getCharacterEncoding() {
        return null;
    }

    @Override
    public String getContentType() {
        return null;
    }

    @Override
    public ServletOutputStream getOutputStream() {
        return DISCARD;
    }

    @Override
    public java.io.PrintWriter getWriter() throws java.io.IOException {
        return null;
    }

    @Override
    public void setCharacterEncoding(String a0) {
    }

    @Override
    public void setContentLength(int length) {
        headers.put("Content-Length", Integer.toString(length));
    }

    @Override
    public void setContentLengthLong(long a0) {
    }

    @Override
    public void setContentType(String a0) {
    }

    @Override
    public void setBufferSize(int a0) {
    }

    @Override
    public int getBufferSize() {
        return 0;
    }

    @Override
    public void flushBuffer() throws java.io.IOException {
    }

    @Override
    public void resetBuffer() {
    }

    @Override
    public boolean isCommitted() {
        return false;
    }

    @Override
    public void reset() {
    }

    @Override
    public void setLocale(java.util.Locale a0) {
    }

    @Override
    public java.util.Locale getLocale() {
        return null;
    }
}
