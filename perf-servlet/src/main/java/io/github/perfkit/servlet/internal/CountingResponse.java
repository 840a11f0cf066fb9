package io.github.perfkit.servlet.internal;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A response wrapper that counts the body bytes the application writes, passing every call
 * straight through: it never buffers, never changes headers, status or content. Writer output is
 * counted in bytes of UTF-8 when the response charset is UTF-8, else one byte per char.
 *
 * <p>Counting is thread-safe (async writers may write from other threads).
 */
public final class CountingResponse extends HttpServletResponseWrapper {

    private final AtomicLong bytes = new AtomicLong();
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
        return bytes.get();
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        ServletOutputStream real = super.getOutputStream();
        CountingStream s = stream;
        if (s == null || s.delegate != real) {
            s = new CountingStream(real, bytes);
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
            w = new CountingWriter(real, bytes, utf8);
            writer = w;
        }
        return w;
    }

    private static final class CountingStream extends ServletOutputStream {
        final ServletOutputStream delegate;
        private final AtomicLong bytes;

        CountingStream(ServletOutputStream delegate, AtomicLong bytes) {
            this.delegate = delegate;
            this.bytes = bytes;
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
            bytes.incrementAndGet();
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            delegate.write(b, off, len);
            bytes.addAndGet(len);
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

    private static final class CountingWriter extends PrintWriter {
        final PrintWriter delegate;
        private final AtomicLong bytes;
        private final boolean utf8;

        CountingWriter(PrintWriter delegate, AtomicLong bytes, boolean utf8) {
            super(delegate, false);
            this.delegate = delegate;
            this.bytes = bytes;
            this.utf8 = utf8;
        }

        @Override
        public void write(int c) {
            delegate.write(c);
            bytes.addAndGet(utf8 ? utf8Length((char) c) : 1);
        }

        @Override
        public void write(char[] buf, int off, int len) {
            delegate.write(buf, off, len);
            if (!utf8) {
                bytes.addAndGet(len);
                return;
            }
            long n = 0;
            for (int i = off; i < off + len; i++) {
                n += utf8Length(buf[i]);
            }
            bytes.addAndGet(n);
        }

        @Override
        public void write(String s, int off, int len) {
            delegate.write(s, off, len);
            if (!utf8) {
                bytes.addAndGet(len);
                return;
            }
            long n = 0;
            for (int i = off; i < off + len; i++) {
                n += utf8Length(s.charAt(i));
            }
            bytes.addAndGet(n);
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
