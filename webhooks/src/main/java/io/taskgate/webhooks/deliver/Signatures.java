package io.taskgate.webhooks.deliver;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.EmptyWebhookSecretException;
import com.standardwebhooks.exceptions.WebhookSigningException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The {@code webhook-signature} header of the Standard Webhooks spec, made by its reference library:
 * {@code v1,<base64 HMAC-SHA256 of "id.timestamp.body">} for each of the agent's current secrets,
 * space-separated, so during a rotation a receiver holding either secret can verify.
 */
final class Signatures {

    private Signatures() {
    }

    static String header(List<String> secrets, String webhookId, long timestampSeconds, String payload) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("no webhook secret to sign with");
        }
        return secrets.stream().map(secret -> sign(secret, webhookId, timestampSeconds, payload))
                .collect(Collectors.joining(" "));
    }

    private static String sign(String secret, String webhookId, long timestampSeconds, String payload) {
        try {
            return new Webhook(secret).sign(webhookId, timestampSeconds, payload);
        } catch (WebhookSigningException | EmptyWebhookSecretException e) {
            // The message may carry key material; the type is enough.
            throw new IllegalStateException("signing failed (" + e.getClass().getSimpleName() + ")");
        }
    }
}
