package io.kadtorrent.testsupport;

import net.jqwik.api.lifecycle.AfterContainerHook;
import net.jqwik.api.lifecycle.ContainerLifecycleContext;
import net.jqwik.api.lifecycle.PropagationMode;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.lang.reflect.AnnotatedElement;
import java.util.List;
import java.util.Optional;

/**
 * After every test class (JUnit Jupiter and jqwik alike), fails it when Netty found a leaked buffer: the
 * report names the buffer's last accesses. Registered for every test through {@code META-INF/services}
 * (Jupiter with {@code junit.jupiter.extensions.autodetection.enabled}, which the parent pom sets).
 * A leak is found once the buffer is collected, so it may surface after the class that leaked it: the
 * access records, not the class name, say where it came from.
 */
public final class LeakCheck implements AfterAllCallback, AfterContainerHook {

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        if (context.getRequiredTestClass().getEnclosingClass() == null) { // once per file, not per @Nested class
            check(context.getDisplayName());
        }
    }

    @Override
    public PropagationMode propagateTo() {
        return PropagationMode.ALL_DESCENDANTS; // registered once for the engine, applied to each class below it
    }

    @Override
    public boolean appliesTo(Optional<AnnotatedElement> element) {
        return element.filter(e -> e instanceof Class<?> c && c.getEnclosingClass() == null).isPresent();
    }

    @Override
    public void afterContainer(ContainerLifecycleContext context) throws InterruptedException {
        check(context.label());
    }

    private static void check(String after) throws InterruptedException {
        List<String> leaks = LeakReports.collect();
        if (!leaks.isEmpty()) {
            throw new AssertionError("Netty found " + leaks.size() + " leaked buffer(s) once " + after
                    + " had run:\n" + String.join("\n", leaks));
        }
    }
}
