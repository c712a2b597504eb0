package io.taskgate.testing;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@WithKafka(pools = {"default", "gpu"})
class KafkaExtensionIT {
    private static TestKafka beforeAll;

    @BeforeAll
    static void remember(TestKafka kafka) {
        beforeAll = kafka;
    }

    @Test
    void shouldGiveTheClassOneSetOfProvisionedTopicsIncludingItsPools(TestKafka kafka) throws Exception {
        assertSame(beforeAll, kafka, "@BeforeAll and the tests of a class share its topics");
        try (Admin admin = kafka.clients().newAdmin("kit-it")) {
            Set<String> names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            assertTrue(names.contains(kafka.topics().requested().name()), names::toString);
            assertTrue(names.contains(kafka.topics().ready("gpu").name()), names::toString);
        }
    }

    @Test
    void shouldProvisionAFreshPrefixOnTheSameBrokerOnDemand(TestKafka kafka) throws Exception {
        TestKafka fresh = kafka.fresh();
        assertNotEquals(kafka.topics().prefix(), fresh.topics().prefix());
        try (Admin admin = kafka.clients().newAdmin("kit-it")) {
            assertTrue(admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(fresh.topics().ready("gpu").name()));
        }
    }

    @Nested
    class Inner {
        @Test
        void shouldShareItsEnclosingClassesTopics(TestKafka kafka) {
            assertSame(beforeAll, kafka);
        }
    }
}
