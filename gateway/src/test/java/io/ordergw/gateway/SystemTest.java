package io.ordergw.gateway;

import org.junit.jupiter.api.Tag;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test that starts what a unit test must not: a gateway, a media driver, a child JVM or process, a network server,
 * or a Chronicle journal with its threads. Tagged {@code system}: failsafe runs these in {@code integration-test}
 * after surefire's unit tests, so {@code mvn test} stays quick and a unit-test failure stops the build first.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Tag(SystemTest.TAG)
public @interface SystemTest
{
    /**
     * The JUnit tag the root pom's surefire excludes and failsafe selects.
     */
    String TAG = "system";
}
