package io.taskgate.workers.tools.email;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.taskgate.schemas.json.Json;
import io.taskgate.tool.api.ToolException;
import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;

/**
 * Sorts what an SMTP send threw: a {@code 4xx} reply or a lost connection may pass and is retried;
 * a {@code 5xx} reply, a refused login or a missing STARTTLS is final. Recipients the server
 * refused are listed one by one with its reply.
 */
final class SmtpFailures {
    private static final int MAX_REPLY_CHARS = 200;

    private SmtpFailures() {
    }

    /** Each refused address with the server's reply, such as {@code "550 no such user"}. */
    static Map<String, String> refused(SendFailedException failure) {
        Map<String, String> refused = new LinkedHashMap<>();
        for (Exception next = failure.getNextException(); next != null;
             next = next instanceof MessagingException messaging ? messaging.getNextException() : null) {
            if (next instanceof SMTPAddressFailedException address) {
                refused.put(address.getAddress().getAddress(), reply(address.getReturnCode(), address.getMessage()));
            }
        }
        for (Address[] notSent : new Address[][] {failure.getInvalidAddresses(), failure.getValidUnsentAddresses()}) {
            for (Address address : notSent == null ? new Address[0] : notSent) {
                refused.putIfAbsent(address.toString(), "not sent");
            }
        }
        return refused;
    }

    static ArrayNode asJson(Map<String, String> refused) {
        ArrayNode list = Json.mapper().createArrayNode();
        refused.forEach((address, reply) -> list.addObject().put("address", address).put("reply", reply));
        return list;
    }

    /** The failure a task reports when nothing was sent. */
    static ToolException classify(MessagingException failure) {
        if (failure instanceof AuthenticationFailedException) {
            return ToolException.failed("email.send: the SMTP server refused the login (check TASKGATE_SMTP_USERNAME and smtp_password)");
        }
        if (failure instanceof SendFailedException send && (isPresent(send.getInvalidAddresses())
                || isPresent(send.getValidUnsentAddresses()))) {
            Map<String, String> refused = refused(send);
            boolean anyTransient = refused.values().stream().anyMatch(reply -> reply.startsWith("4"));
            String message = "email.send: every recipient was refused: " + refused;
            return anyTransient ? ToolException.transientFailure(message, null) : ToolException.failed(message);
        }
        if (failure instanceof SMTPSendFailedException send) {
            String reply = reply(send.getReturnCode(), send.getMessage());
            return isTransient(send.getReturnCode())
                    ? ToolException.transientFailure("email.send: the SMTP server answered " + reply, null)
                    : ToolException.failed("email.send: the SMTP server answered " + reply);
        }
        for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException) {
                return ToolException.transientFailure(
                        "email.send: cannot talk to the SMTP server (" + cause.getClass().getSimpleName() + ")", null);
            }
        }
        return ToolException.failed("email.send: " + shorten(String.valueOf(failure.getMessage())));
    }

    private static boolean isPresent(Address[] addresses) {
        return addresses != null && addresses.length > 0;
    }

    private static boolean isTransient(int code) {
        return code >= 400 && code < 500;
    }

    private static String reply(int code, String message) {
        String text = message == null ? "" : message.trim();
        return text.startsWith(String.valueOf(code)) ? shorten(text) : shorten(code + " " + text);
    }

    private static String shorten(String text) {
        String line = text.replace('\r', ' ').replace('\n', ' ').trim();
        return line.length() > MAX_REPLY_CHARS ? line.substring(0, MAX_REPLY_CHARS) + "..." : line;
    }
}
