package io.github.perfkit.servlet.internal;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * A response wrapper that counts the body bytes the application writes, passing every call
 * straight through: it never buffers, never changes headers, status or content. Writer output is
 * counted in bytes of UTF-8 when the response charset is UTF-8, else one byte per char.
 *
 * <p>Not thread-safe, like the response's own streams: writes to one response are not concurrent, and a write on
 * another thread (async) is ordered after the dispatch by the container, so the count read at completion is whole.
 */
public final class CountingResponse extends HttpServletResponseWrapper {

    // Writes to one response are not concurrent (its streams are not thread-safe); an async write that continues on
    // another thread is ordered after the dispatch by the container. A plain field: no atomic add per write.
    private long bytes;
    private @Nullable CountingStream stream;
    private @Nullable CountingWriter writer;

    /**
     * @param response the response to wrap
     */
    public CountingResponse(HttpServletResponse response) {
        super(response);
    }

    /** @return the body bytes written through this wrapper so far */
    public long bytesWritten() {
        return bytes;
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        ServletOutputStream real = super.getOutputStream();
        CountingStream s = stream;
        if (s == null || s.delegate != real) {
            s = new CountingStream(real);
            stream = s;
        }
        return s;
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        PrintWriter real = super.getWriter();
        CountingWriter w = writer;
        if (w == null || w.delegate != real) {
            String cs = getCharacterEncoding();
            boolean utf8 = cs == null || StandardCharsets.UTF_8.name().equalsIgnoreCase(cs) || "utf8".equalsIgnoreCase(cs);
            w = new CountingWriter(real, utf8);
            writer = w;
        }
        return w;
    }

    private final class CountingStream extends ServletOutputStream {
        final ServletOutputStream delegate;

        CountingStream(ServletOutputStream delegate) {
            this.delegate = delegate;
        }

        @Override
        public boolean isReady() {
            return delegate.isReady();
        }

        @Override
        public void setWriteListener(WriteListener writeListener) {
            delegate.setWriteListener(writeListener);
        }

        @Override
        public void write(int b) throws IOException {
            delegate.write(b);
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            delegate.write(b, off, len);
            bytes += len;
        }

        @Override
        public void flush() throws IOException {
            delegate.flush();
        }

        @Override
        public void close() throws IOException {
            delegate.close();
        }
    }

    private final class CountingWriter extends PrintWriter {
        final PrintWriter delegate;
        private final boolean utf8;

        CountingWriter(PrintWriter delegate, boolean utf8) {
            super(delegate, false);
            this.delegate = delegate;
            this.utf8 = utf8;
        }

        @Override
        public void write(int c) {
            delegate.write(c);
            bytes += utf8 ? utf8Length((char) c) : 1;
        }

        @Override
        public void write(char[] buf, int off, int len) {
            delegate.write(buf, off, len);
            if (!utf8) {
                bytes += len;
                return;
            }
            long n = 0;
            for (int i = off; i < off + len; i++) {
                n += utf8Length(buf[i]);
            }
            bytes += n;
        }

        @Override
        public void write(String s, int off, int len) {
            delegate.write(s, off, len);
            if (!utf8) {
                bytes += len;
                return;
            }
            long n = 0;
            for (int i = off; i < off + len; i++) {
                n += utf8Length(s.charAt(i));
            }
            bytes += n;
        }

        @Override
        public void flush() {
            delegate.flush();
        }

        @Override
        public void close() {
            delegate.close();
        }

        @Override
        public boolean checkError() {
            return delegate.checkError();
        }

        private static int utf8Length(char c) {
            if (c < 0x80) {
                return 1;
            }
            if (c < 0x800) {
                return 2;
            }
            // A surrogate pair encodes to 4 bytes: 2 per half.
            return Character.isSurrogate(c) ? 2 : 3;
        }
    }
}
