package io.kadtorrent.engine.testing;

import io.kadtorrent.engine.SessionConfig;
import io.kadtorrent.engine.session.Session;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.List;

/**
 * Sessions on 127.0.0.1 (ephemeral ports) started by one test, all closed by {@link #close()}; as a
 * JUnit extension ({@code @RegisterExtension}) after each test.
 */
public final class LocalSessions implements AutoCloseable, AfterEachCallback {

    public static final SessionConfig LOOPBACK = SessionConfig.defaults().withBindHost("127.0.0.1").withPort(0);

    private final List<Session> sessions = new ArrayList<>();

    /** Starts a session without a DHT node; it is closed with the others unless {@link #closeNow} closes it first. */
    public Session start() throws InterruptedException {
        return start(LOOPBACK);
    }

    /** As {@link #start()}, with {@code config} (based on {@link #LOOPBACK}). */
    public Session start(SessionConfig config) throws InterruptedException {
        Session s = Session.start(config);
        sessions.add(s);
        return s;
    }

    /** Closes {@code session} now (a "kill" in the middle of a test) and forgets it. */
    public void closeNow(Session session) {
        sessions.remove(session);
        session.close();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }

    @Override
    public void close() {
        sessions.forEach(Session::close);
        sessions.clear();
    }
}
