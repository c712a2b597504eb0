package io.taskgate.workers.tools.email;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskgate.platform.secrets.Secret;
import io.taskgate.platform.secrets.SecretNames;
import io.taskgate.schemas.json.Json;
import io.taskgate.schemas.tasks.TaskMessage;
import io.taskgate.tool.api.Tool;
import io.taskgate.tool.api.ToolException;
import io.taskgate.workers.tools.http.TargetGuard;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * {@code email.send}: one message over SMTP (Angus Mail), result {@code {"message_id", "accepted":
 * [...]}} plus {@code "refused": [{"address", "reply"}]} when the server refused some recipients but
 * took the others. A send blocks, so it runs on the given executor, never the caller's thread.
 */
public final class EmailSendTool implements Tool {
    public static final String NAME = "email";
    public static final String SECRET = "smtp_password";

    private final SmtpSettings settings;
    private final Optional<Secret> password;
    private final TargetGuard guard;
    private final Executor executor;
    private final Session session;

    public EmailSendTool(SmtpSettings settings, Optional<Secret> password, TargetGuard guard, Executor executor, Duration timeout) {
        this.settings = settings;
        this.password = password;
        this.guard = guard;
        this.executor = executor;
        this.session = Session.getInstance(properties(settings, timeout));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> actions() {
        return Set.of("send");
    }

    @Override
    public CompletionStage<JsonNode> run(TaskMessage task) {
        EmailRequest request;
        try {
            request = EmailRequest.parse(task.input());
            checkConfigured();
        } catch (ToolException e) {
            return CompletableFuture.failedFuture(e);
        }
        return CompletableFuture.supplyAsync(() -> send(request), executor);
    }

    private void checkConfigured() {
        if (settings.host().isEmpty()) {
            throw ToolException.failed("email.send is not configured: TASKGATE_SMTP_HOST is not set");
        }
        if (settings.username().isPresent() && password.isEmpty()) {
            throw ToolException.failed("email.send needs the tool secret " + SECRET + " (" + SecretNames.envName(SECRET)
                    + ", or taskgate secrets set " + SECRET + ")");
        }
    }

    private JsonNode send(EmailRequest request) {
        String host = settings.host().orElseThrow();
        try {
            guard.check(host);
        } catch (ToolException e) {
            throw ToolException.refused("email.send may not reach the SMTP server " + host + ": " + e.getMessage());
        }
        MimeMessage message;
        try {
            message = message(request);
        } catch (MessagingException e) {
            throw ToolException.badInput("email.send cannot build the message: " + e.getMessage());
        }
        try (Transport transport = session.getTransport("smtp")) {
            transport.connect(host, settings.port(), settings.username().orElse(null), password.map(Secret::reveal).orElse(null));
            transport.sendMessage(message, message.getAllRecipients());
            return result(message, Arrays.asList(message.getAllRecipients()), Map.of());
        } catch (SendFailedException e) {
            Address[] sent = e.getValidSentAddresses();
            if (sent == null || sent.length == 0) {
                throw SmtpFailures.classify(e);
            }
            return result(message, Arrays.asList(sent), SmtpFailures.refused(e));
        } catch (MessagingException e) {
            throw SmtpFailures.classify(e);
        }
    }

    private MimeMessage message(EmailRequest request) throws MessagingException {
        MimeMessage message = new MimeMessage(session);
        message.setFrom(settings.from());
        message.setRecipients(Message.RecipientType.TO, request.to().toArray(Address[]::new));
        if (!request.cc().isEmpty()) {
            message.setRecipients(Message.RecipientType.CC, request.cc().toArray(Address[]::new));
        }
        if (request.replyTo().isPresent()) {
            message.setReplyTo(new Address[] {request.replyTo().get()});
        }
        message.setSubject(request.subject(), StandardCharsets.UTF_8.name());
        String text = request.text().orElse("");
        if (request.html().isPresent() && request.text().isPresent()) {
            MimeMultipart alternative = new MimeMultipart("alternative");
            MimeBodyPart plain = new MimeBodyPart();
            plain.setText(text, StandardCharsets.UTF_8.name());
            MimeBodyPart html = new MimeBodyPart();
            html.setText(request.html().get(), StandardCharsets.UTF_8.name(), "html");
            alternative.addBodyPart(plain);
            alternative.addBodyPart(html);
            message.setContent(alternative);
        } else if (request.html().isPresent()) {
            message.setText(request.html().get(), StandardCharsets.UTF_8.name(), "html");
        } else {
            message.setText(text, StandardCharsets.UTF_8.name());
        }
        message.saveChanges();
        return message;
    }

    private static JsonNode result(MimeMessage message, Iterable<Address> accepted, Map<String, String> refused) {
        ObjectNode result = Json.mapper().createObjectNode();
        try {
            result.put("message_id", message.getMessageID());
        } catch (MessagingException e) {
            result.putNull("message_id");
        }
        ArrayNode list = result.putArray("accepted");
        accepted.forEach(address -> list.add(address.toString()));
        if (!refused.isEmpty()) {
            result.set("refused", SmtpFailures.asJson(refused));
        }
        return result;
    }

    private static Properties properties(SmtpSettings settings, Duration timeout) {
        Properties properties = new Properties();
        String millis = String.valueOf(timeout.toMillis());
        properties.put("mail.smtp.connectiontimeout", millis);
        properties.put("mail.smtp.timeout", millis);
        properties.put("mail.smtp.writetimeout", millis);
        properties.put("mail.smtp.auth", String.valueOf(settings.username().isPresent()));
        properties.put("mail.smtp.starttls.enable", String.valueOf(settings.startTls() != StartTls.OFF));
        properties.put("mail.smtp.starttls.required", String.valueOf(settings.startTls() == StartTls.REQUIRED));
        properties.put("mail.smtp.ssl.checkserveridentity", "true");
        // Deliver to the recipients the server takes and report the others, rather than none at all.
        properties.put("mail.smtp.sendpartial", "true");
        // The Message-ID's domain comes from here instead of a lookup of this machine's name.
        properties.put("mail.from", settings.from());
        return properties;
    }
}
