package io.taskgate.platform.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupInstancesTest {
    @TempDir
    Path dir;

    @Test
    void shouldGiveTheSameIdAgainAfterARestartOnTheSameDataDirectory() {
        String first;
        try (GroupInstances instances = GroupInstances.in(dir)) {
            first = instances.claim("taskgate-workers-default").orElseThrow();
        }
        try (GroupInstances restarted = GroupInstances.in(dir)) {
            assertEquals(first, restarted.claim("taskgate-workers-default").orElseThrow());
        }
    }

    @Test
    void shouldGiveAnInstanceStartedBesideALiveOneAnIdOfItsOwn() {
        try (GroupInstances running = GroupInstances.in(dir); GroupInstances second = GroupInstances.in(dir)) {
            String held = running.claim("taskgate-workers-default").orElseThrow();
            String other = second.claim("taskgate-workers-default").orElseThrow();

            assertNotEquals(held, other);
        }
    }

    @Test
    void shouldGiveTwoConsumersOfOneGroupInOneProcessDifferentIds() {
        try (GroupInstances instances = GroupInstances.in(dir)) {
            assertNotEquals(instances.claim("g").orElseThrow(), instances.claim("g").orElseThrow());
        }
    }

    @Test
    void shouldNotShareIdsBetweenDataDirectories(@TempDir Path elsewhere) {
        try (GroupInstances here = GroupInstances.in(dir); GroupInstances there = GroupInstances.in(elsewhere)) {
            assertNotEquals(here.claim("g").orElseThrow(), there.claim("g").orElseThrow());
        }
    }

    @Test
    void shouldNameTheGroupInTheIdAndKeepItOnDisk() throws IOException {
        try (GroupInstances instances = GroupInstances.in(dir)) {
            String id = instances.claim("acme-policy").orElseThrow();

            assertTrue(id.matches("acme-policy-[0-9a-f]{16}"), id);
            assertEquals(id, Files.readString(dir.resolve("group-instances/acme-policy/0.id")).strip());
        }
    }

    @Test
    void shouldReplaceAnUnreadableIdFile() throws IOException {
        Path file = dir.resolve("group-instances/g/0.id");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "not an id\n");
        try (GroupInstances instances = GroupInstances.in(dir)) {
            assertTrue(instances.claim("g").orElseThrow().matches("g-[0-9a-f]{16}"));
        }
    }

    @Test
    void shouldClaimNothingWithoutADataDirectory() {
        try (GroupInstances none = GroupInstances.none()) {
            assertEquals(Optional.empty(), none.claim("g"));
        }
    }
}
