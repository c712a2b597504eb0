package io.taskgate.testing;

import io.taskgate.kafka.embedded.EmbeddedKafka;
import io.taskgate.schemas.topics.Topics;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Starts one broker per test JVM, on first use, and closes it when the JVM's tests are done (the
 * root store closes what it holds); each test class gets its own provisioned topic prefix on it, so
 * classes never see each other's records and no class pays for a broker start.
 */
public final class KafkaExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KafkaExtension.class);
    private static final String BROKER = "broker";
    private static final String CLASS_TOPICS = "class-topics";

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestKafka.class;
    }

    @Override
    public TestKafka resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ExtensionContext classContext = classContext(context);
        return classContext.getStore(NAMESPACE).getOrComputeIfAbsent(CLASS_TOPICS,
                key -> TestKafka.provisionedOn(sharedBroker(context).bootstrapServers(), pools(classContext)), TestKafka.class);
    }

    /** JUnit closes an AutoCloseable held in the root store once the JVM's tests are done, which stops the broker. */
    private static EmbeddedKafka sharedBroker(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(BROKER,
                key -> EmbeddedKafka.startTemporary(), EmbeddedKafka.class);
    }

    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext current = context;
        while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
            current = current.getParent().get();
        }
        return current;
    }

    private static List<String> pools(ExtensionContext classContext) {
        return AnnotationSupport.findAnnotation(classContext.getRequiredTestClass(), WithKafka.class)
                .map(annotation -> List.of(annotation.pools()))
                .orElse(List.of(Topics.DEFAULT_POOL));
    }
}
