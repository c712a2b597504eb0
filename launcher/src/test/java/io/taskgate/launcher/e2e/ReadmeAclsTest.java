package io.taskgate.launcher.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskgate.launcher.access.KafkaAccess;
import io.taskgate.schemas.topics.Topics;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

/** What each service checks at start is what the README tells operators to grant. */
class ReadmeAclsTest {
    private static final Topics TOPICS = new Topics(Topics.DEFAULT_PREFIX);
    private static final String POOL = Topics.DEFAULT_POOL;

    @Test
    void shouldGrantInTheReadmeEveryRightAServiceChecksAtStart() {
        ReadmeAcls readme = ReadmeAcls.fromRepository();
        assertGranted(readme.forService("ingress", "u", POOL), KafkaAccess.ingress(TOPICS));
        assertGranted(readme.forService("policy-stream", "u", POOL), KafkaAccess.policyStream(TOPICS, "taskgate-policy"));
        assertGranted(readme.forService("worker", "u", POOL), KafkaAccess.worker(TOPICS, POOL, "taskgate-workers-" + POOL));
        assertGranted(readme.forService("audit-sink", "u", POOL), KafkaAccess.auditSink(TOPICS, "taskgate-audit-sink"));
    }

    private static void assertGranted(List<AclBinding> granted, KafkaAccess checked) {
        assertEach(granted, ResourceType.TOPIC, checked.topics());
        assertEach(granted, ResourceType.GROUP, checked.groups());
    }

    private static void assertEach(List<AclBinding> granted, ResourceType type, Map<String, Set<AclOperation>> needed) {
        needed.forEach((name, operations) -> operations.forEach(operation -> assertTrue(granted.stream().anyMatch(binding ->
                binding.pattern().resourceType() == type
                        && binding.entry().operation() == operation
                        && (binding.pattern().patternType() == PatternType.LITERAL ? name.equals(binding.pattern().name())
                                : name.startsWith(binding.pattern().name()))),
                "README grants no " + operation + " on " + type + " " + name)));
    }
}
