package io.taskgate.workers.tools.email;

import static io.taskgate.workers.tools.Tasks.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.Setting;
import io.taskgate.platform.secrets.Secret;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.platform.concurrent.Futures;
import io.taskgate.tool.api.ToolException;
import io.taskgate.workers.tools.Tasks;
import io.taskgate.workers.tools.http.SsrfGuard;
import io.taskgate.workers.tools.http.TargetGuard;
import jakarta.mail.internet.MimeMessage;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EmailSendToolTest {
    private static final String FROM = "gateway@taskgate.test";

    private final ExecutorService mailThreads = Executors.newCachedThreadPool();
    private GreenMail greenMail;

    @BeforeEach
    void startSmtp() {
        greenMail = new GreenMail(ServerSetupTest.SMTP.dynamicPort())
                .withConfiguration(GreenMailConfiguration.aConfig().withUser(FROM, "mailer", "right-password"));
        greenMail.start();
    }

    @AfterEach
    void stop() {
        greenMail.stop();
        mailThreads.shutdownNow();
    }

    @Test
    void shouldSendToEveryRecipientAfterLoggingInWithStartTlsOptional() throws Exception {
        EmailSendTool tool = tool(greenMail.getSmtp().getPort(), "optional", Optional.of("mailer"), "right-password");

        JsonNode result = tool.run(task("tsk_1", "email.send", """
                {"to": ["ann@example.test", "bob@example.test"], "cc": ["carol@example.test"],
                 "subject": "Report ready", "text": "Your report is ready.", "reply_to": "help@taskgate.test"}"""))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertEquals(Tasks.json("[\"ann@example.test\", \"bob@example.test\", \"carol@example.test\"]"), result.get("accepted"));
        assertFalse(result.has("refused"));
        assertTrue(greenMail.waitForIncomingEmail(5000, 3));
        MimeMessage received = greenMail.getReceivedMessages()[0];
        assertEquals(result.get("message_id").asText(), received.getMessageID());
        assertEquals("Report ready", received.getSubject());
        assertEquals(FROM, received.getFrom()[0].toString());
        assertEquals("help@taskgate.test", received.getReplyTo()[0].toString());
        assertEquals("Your report is ready.", GreenMailUtil.getBody(received).trim());
    }

    @Test
    void shouldSendWithoutLoginWhenStartTlsIsOff() throws Exception {
        EmailSendTool tool = tool(greenMail.getSmtp().getPort(), "off", Optional.empty(), null);

        JsonNode result = tool.run(task("tsk_1", "email.send", """
                {"to": ["ann@example.test"], "subject": "Hi", "html": "<p>Hello</p>"}"""))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertEquals("ann@example.test", result.at("/accepted/0").asText());
        assertTrue(greenMail.waitForIncomingEmail(5000, 1));
        assertTrue(greenMail.getReceivedMessages()[0].getContentType().startsWith("text/html"));
    }

    @Test
    void shouldFailAtOnceWhenTheLoginIsRefusedWithoutNamingThePassword() {
        EmailSendTool tool = tool(greenMail.getSmtp().getPort(), "optional", Optional.of("mailer"), "wrong-password");

        ToolException error = failure(tool.run(task("tsk_1", "email.send", "{\"to\": [\"ann@example.test\"], \"subject\": \"x\"}")));

        assertFalse(error.retryable());
        assertTrue(error.getMessage().contains("refused the login"), error.getMessage());
        assertFalse(error.getMessage().contains("wrong-password"));
        assertEquals(0, greenMail.getReceivedMessages().length);
    }

    @Test
    void shouldNotSendInTheClearWhenStartTlsIsRequiredAndNotOffered() {
        EmailSendTool tool = tool(greenMail.getSmtp().getPort(), "required", Optional.empty(), null);

        ToolException error = failure(tool.run(task("tsk_1", "email.send", "{\"to\": [\"ann@example.test\"], \"subject\": \"x\"}")));

        assertFalse(error.retryable());
        assertTrue(error.getMessage().contains("STARTTLS"), error.getMessage());
        assertEquals(0, greenMail.getReceivedMessages().length);
    }

    @Test
    void shouldReportARefusedRecipientByAddressAndDeliverToTheOthers() throws Exception {
        try (RefusingSmtpServer server = new RefusingSmtpServer()) {
            EmailSendTool tool = tool(server.port(), "optional", Optional.empty(), null);

            JsonNode result = tool.run(task("tsk_1", "email.send", """
                    {"to": ["ann@example.test", "nobody@example.test"], "subject": "x", "text": "y"}"""))
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);

            assertEquals(Tasks.json("[\"ann@example.test\"]"), result.get("accepted"));
            assertEquals(Tasks.json("[{\"address\": \"nobody@example.test\", \"reply\": \"550 5.1.1 no such user here\"}]"),
                    result.get("refused"));
            assertEquals(List.of(List.of("ann@example.test")), server.delivered());
        }
    }

    @Test
    void shouldFailWhenEveryRecipientIsRefusedAndRetryOnlyATemporaryRefusal() {
        try (RefusingSmtpServer server = new RefusingSmtpServer()) {
            EmailSendTool tool = tool(server.port(), "optional", Optional.empty(), null);

            ToolException refused = failure(tool.run(task("tsk_1", "email.send", "{\"to\": [\"nobody@example.test\"], \"subject\": \"x\"}")));
            assertFalse(refused.retryable());
            assertTrue(refused.getMessage().contains("nobody@example.test=550 5.1.1 no such user here"), refused.getMessage());

            ToolException busy = failure(tool.run(task("tsk_2", "email.send", "{\"to\": [\"busy@example.test\"], \"subject\": \"x\"}")));
            assertTrue(busy.retryable(), busy.getMessage());
            assertTrue(server.delivered().isEmpty());
        }
    }

    @Test
    void shouldRetryWhenTheServerCannotBeReached() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        ToolException error = failure(tool(closedPort, "optional", Optional.empty(), null)
                .run(task("tsk_1", "email.send", "{\"to\": [\"ann@example.test\"], \"subject\": \"x\"}")));

        assertTrue(error.retryable(), error.getMessage());
    }

    @Test
    void shouldFailWithBadRequestNamingTheField() {
        EmailSendTool tool = tool(greenMail.getSmtp().getPort(), "off", Optional.empty(), null);

        assertBadInput(tool, "{\"to\": \"ann@example.test\", \"subject\": \"x\"}", "to must be a list");
        assertBadInput(tool, "{\"subject\": \"x\"}", "to is required");
        assertBadInput(tool, "{\"to\": [], \"subject\": \"x\"}", "to must name at least one");
        assertBadInput(tool, "{\"to\": [\"not an address\"], \"subject\": \"x\"}", "to[0] is not a valid e-mail address");
        assertBadInput(tool, "{\"to\": [\"ann@example.test\"]}", "subject is required");
        assertBadInput(tool, "{\"to\": [\"ann@example.test\"], \"subject\": \"x\", \"cc\": \"bob@example.test\"}", "cc must be a list");
        assertEquals(0, greenMail.getReceivedMessages().length);
    }

    @Test
    void shouldSayItIsNotConfiguredWithoutAnSmtpHost() {
        EmailSendTool tool = new EmailSendTool(SmtpSettings.from(ConfigSource.of(Map.of())), Optional.empty(),
                TargetGuard.allowAll(), mailThreads, Duration.ofSeconds(5));

        ToolException error = failure(tool.run(task("tsk_1", "email.send", "{\"to\": [\"ann@example.test\"], \"subject\": \"x\"}")));
        assertTrue(error.getMessage().contains("TASKGATE_SMTP_HOST"), error.getMessage());
    }

    @Test
    void shouldRefuseALoopbackSmtpServerUnlessPrivateAddressesAreAllowed() {
        SmtpSettings settings = settings(greenMail.getSmtp().getPort(), "off", Optional.empty());
        EmailSendTool tool = new EmailSendTool(settings, Optional.empty(), SsrfGuard.usingSystemResolver(), mailThreads,
                Duration.ofSeconds(5));

        ToolException error = failure(tool.run(task("tsk_1", "email.send", "{\"to\": [\"ann@example.test\"], \"subject\": \"x\"}")));
        assertEquals(ErrorCode.DOMAIN_BLOCKED, error.code());
        assertEquals(0, greenMail.getReceivedMessages().length);
    }

    private void assertBadInput(EmailSendTool tool, String input, String expected) {
        ToolException error = failure(tool.run(task("tsk_1", "email.send", input)));
        assertEquals(ErrorCode.BAD_REQUEST, error.code());
        assertTrue(error.getMessage().contains(expected), error.getMessage());
    }

    private static ToolException failure(CompletionStage<JsonNode> stage) {
        Throwable failure = stage.toCompletableFuture().handle((result, error) -> Futures.unwrap(error)).join();
        return assertInstanceOf(ToolException.class, failure);
    }

    private EmailSendTool tool(int port, String startTls, Optional<String> username, String password) {
        return new EmailSendTool(settings(port, startTls, username), Optional.ofNullable(password).map(Secret::new),
                TargetGuard.allowAll(), mailThreads, Duration.ofSeconds(5));
    }

    private static SmtpSettings settings(int port, String startTls, Optional<String> username) {
        Map<Setting, String> values = new EnumMap<>(Setting.class);
        values.put(Setting.SMTP_HOST, "127.0.0.1");
        values.put(Setting.SMTP_PORT, String.valueOf(port));
        values.put(Setting.SMTP_FROM, FROM);
        values.put(Setting.SMTP_STARTTLS, startTls);
        username.ifPresent(name -> values.put(Setting.SMTP_USERNAME, name));
        return SmtpSettings.from(ConfigSource.of(values));
    }
}
