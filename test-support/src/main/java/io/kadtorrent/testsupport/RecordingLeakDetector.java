package io.kadtorrent.testsupport;

import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakTracker;

/**
 * Netty's leak detector, which hands every leak it finds to {@link LeakReports} instead of logging it, so that
 * {@link LeakCheck} fails the test class after which it was found (with the same access records). Netty builds one per resource type
 * when the tests run with {@code -Dio.netty.customResourceLeakDetector=} this class (the parent pom sets it).
 */
public final class RecordingLeakDetector<T> extends ResourceLeakDetector<T> {

    /** The constructor Netty's factory looks for. */
    public RecordingLeakDetector(Class<?> resourceType, int samplingInterval) {
        super(resourceType, samplingInterval);
    }

    /** The constructor older Netty factories looked for; {@code maxActive} is ignored there too. */
    public RecordingLeakDetector(Class<?> resourceType, int samplingInterval, long maxActive) {
        this(resourceType, samplingInterval);
    }

    @Override
    public ResourceLeakTracker<T> track(T resource) {
        LeakReports.tracked();
        return super.track(resource);
    }

    @Override
    public ResourceLeakTracker<T> trackForcibly(T resource) {
        LeakReports.tracked();
        return super.trackForcibly(resource);
    }

    @Override
    protected boolean needReport() {
        return true; // whatever the logger's level: a leak must reach the check
    }

    @Override
    protected void reportTracedLeak(String resourceType, String records) {
        LeakReports.add(resourceType + " leaked; its last accesses:" + records);
    }

    @Override
    protected void reportUntracedLeak(String resourceType) {
        LeakReports.add(resourceType + " leaked (no access records at this detection level)");
    }
}
