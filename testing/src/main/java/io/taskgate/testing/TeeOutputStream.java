package io.taskgate.testing;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes to both streams: a test that searches what a service logged keeps the log on the console
 * too ({@code System.setErr(new PrintStream(new TeeOutputStream(System.err, captured), true, UTF_8))}).
 */
public final class TeeOutputStream extends OutputStream {
    private final OutputStream first;
    private final OutputStream second;

    public TeeOutputStream(OutputStream first, OutputStream second) {
        this.first = first;
        this.second = second;
    }

    @Override
    public synchronized void write(int b) throws IOException {
        first.write(b);
        second.write(b);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
        first.write(bytes, offset, length);
        second.write(bytes, offset, length);
    }

    @Override
    public void flush() throws IOException {
        first.flush();
        second.flush();
    }
}
