package io.taskgate.workers.tools.email;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskgate.tool.api.ToolException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A validated {@code email.send} input: {@code {"to": [...], "subject", "text"?, "html"?, "cc"?, "reply_to"?}}. */
record EmailRequest(List<InternetAddress> to, List<InternetAddress> cc, Optional<InternetAddress> replyTo, String subject,
                    Optional<String> text, Optional<String> html) {
    static final int MAX_RECIPIENTS = 100;
    private static final int MAX_SUBJECT_CHARS = 998;

    static EmailRequest parse(JsonNode input) {
        if (input == null || !input.isObject()) {
            throw ToolException.badInput("email.send needs an object input with \"to\" and \"subject\"");
        }
        List<InternetAddress> to = addresses(input.get("to"), "to", true);
        List<InternetAddress> cc = addresses(input.get("cc"), "cc", false);
        if (to.size() + cc.size() > MAX_RECIPIENTS) {
            throw ToolException.badInput("email.send takes at most " + MAX_RECIPIENTS + " recipients in to and cc");
        }
        JsonNode subject = input.get("subject");
        if (subject == null || !subject.isTextual()) {
            throw ToolException.badInput("email.send subject is required: a string");
        }
        if (subject.asText().length() > MAX_SUBJECT_CHARS || subject.asText().chars().anyMatch(c -> c == '\r' || c == '\n')) {
            throw ToolException.badInput("email.send subject must be one line of at most " + MAX_SUBJECT_CHARS + " characters");
        }
        Optional<String> text = optionalString(input.get("text"), "text");
        Optional<String> html = optionalString(input.get("html"), "html");
        JsonNode replyTo = input.get("reply_to");
        Optional<InternetAddress> reply = replyTo == null || replyTo.isNull()
                ? Optional.empty() : Optional.of(address(replyTo, "reply_to"));
        return new EmailRequest(to, cc, reply, subject.asText(), text, html);
    }

    private static List<InternetAddress> addresses(JsonNode node, String field, boolean required) {
        if (node == null || node.isNull()) {
            if (required) {
                throw ToolException.badInput("email.send " + field + " is required: a list of addresses");
            }
            return List.of();
        }
        if (!node.isArray()) {
            throw ToolException.badInput("email.send " + field + " must be a list of addresses, such as [\"ann@example.com\"]");
        }
        if (required && node.isEmpty()) {
            throw ToolException.badInput("email.send " + field + " must name at least one address");
        }
        List<InternetAddress> addresses = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            addresses.add(address(node.get(i), field + "[" + i + "]"));
        }
        return addresses;
    }

    private static InternetAddress address(JsonNode node, String field) {
        if (!node.isTextual()) {
            throw ToolException.badInput("email.send " + field + " must be an e-mail address string");
        }
        try {
            InternetAddress address = new InternetAddress(node.asText(), true);
            if (address.isGroup()) {
                throw new AddressException("a group");
            }
            return address;
        } catch (AddressException e) {
            throw ToolException.badInput("email.send " + field + " is not a valid e-mail address");
        }
    }

    private static Optional<String> optionalString(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            throw ToolException.badInput("email.send " + field + " must be a string");
        }
        return Optional.of(node.asText());
    }
}
