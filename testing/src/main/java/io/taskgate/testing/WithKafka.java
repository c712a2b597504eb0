package io.taskgate.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test class the broker shared by every test class of the JVM and its own fresh topic
 * prefix with every topic provisioned; a {@link TestKafka} parameter (constructor, {@code @BeforeAll},
 * test method) receives them.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(KafkaExtension.class)
public @interface WithKafka {
    /** The worker pools whose ready topics are provisioned besides the shared topics. */
    String[] pools() default {"default"};
}
