package io.asyncsidecar.controlplane.plugins.audit;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * Reuses the scanners' direct buffers: reading a file into a direct buffer spares the copy the JDK makes for a
 * heap one, and allocating (and zeroing) a megabyte or more per range would cost more than scanning it.
 */
final class BufferPool {

    private final int size;
    private final ArrayBlockingQueue<ByteBuffer> free;

    /**
     * @param size     bytes of each buffer
     * @param retained buffers kept for reuse; more are allocated when needed and dropped when given back
     */
    BufferPool(int size, int retained) {
        this.size = size;
        this.free = new ArrayBlockingQueue<>(retained);
    }

    ByteBuffer take() {
        ByteBuffer b = free.poll();
        return b != null ? b.clear() : ByteBuffer.allocateDirect(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    void give(ByteBuffer b) {
        free.offer(b);
    }
}
