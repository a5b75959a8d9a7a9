package org.flashlab.server;

import java.io.IOException;
import java.nio.channels.Channel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The connections a server has open, so that close() can shut them all. Closing a channel is also
 * how a thread blocked in read or write on it is woken: it gets an AsynchronousCloseException.
 * Safe for any thread.
 */
public final class OpenConnections {
    private static final System.Logger LOG = System.getLogger(OpenConnections.class.getName());

    private final Set<Channel> open = ConcurrentHashMap.newKeySet();

    public void add(Channel channel) {
        open.add(channel);
    }

    public void remove(Channel channel) {
        open.remove(channel);
    }

    public int size() {
        return open.size();
    }

    /** Closes every tracked channel. Failures are logged: the server is stopping either way. */
    public void closeAll() {
        for (Channel channel : open) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing " + channel + " at shutdown failed", e);
            }
            open.remove(channel);
        }
    }
}
