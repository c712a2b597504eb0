package io.taskgate.launcher.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Access tokens: mint one for an agent, or revoke one on every ingress instance. */
@Command(name = "tokens", mixinStandardHelpOptions = true, description = "Access tokens, through the admin API.",
        subcommands = {TokensCommand.Mint.class, TokensCommand.Revoke.class})
public final class TokensCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "mint", mixinStandardHelpOptions = true,
            description = "Mint an access token for an agent; its scope is at most the agent's.")
    static final class Mint implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        AdminOptions admin;
        @Parameters(paramLabel = "AGENT_ID", description = "the agent's id (agt_...)")
        String agentId;
        @Option(names = "--tools", split = ",", paramLabel = "TOOL", description = "narrow the token to these tools (default: the agent's)")
        List<String> tools;
        @Option(names = "--actions", split = ",", paramLabel = "ACTION", description = "narrow the token to these actions (default: the agent's)")
        List<String> actions;
        @Option(names = "--expires-in", paramLabel = "SECONDS", description = "lifetime, 60 to 86400 s (default 3600)")
        Long expiresIn;

        @Override
        public Integer call() {
            return admin.run(spec, (client, out) -> {
                Map<String, Object> body = new LinkedHashMap<>();
                if (tools != null) {
                    body.put("tools", tools);
                }
                if (actions != null) {
                    body.put("actions", actions);
                }
                if (expiresIn != null) {
                    body.put("expires_in", expiresIn);
                }
                JsonNode minted = client.postJson("api/agents/" + PathSegment.of(agentId) + "/tokens", body);
                if (admin.json()) {
                    AdminOptions.printJson(out, minted);
                    return;
                }
                List<String[]> fields = new ArrayList<>();
                fields.add(new String[] {"token", minted.path("token").asText()});
                fields.add(new String[] {"token_type", minted.path("token_type").asText()});
                fields.add(new String[] {"expires_in", minted.path("expires_in").asText() + " s"});
                fields.add(new String[] {"tools", AdminOptions.names(minted.path("tools"))});
                fields.add(new String[] {"actions", AdminOptions.names(minted.path("actions"))});
                Table.fields(out, fields);
            });
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke an access token, by the token or by its id (jti): every ingress instance refuses it within moments.")
    static final class Revoke implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        AdminOptions admin;
        @ArgGroup(exclusive = true, multiplicity = "1")
        Target target;

        /** Exactly one of the two, as the API wants. */
        static final class Target {
            @Option(names = "--token", paramLabel = "TOKEN", description = "the access token itself (revoked until its exp)")
            String token;
            @Option(names = "--jti", paramLabel = "JTI", description = "the token's id (revoked for the longest token lifetime)")
            String jti;
        }

        @Override
        public Integer call() {
            return admin.run(spec, (client, out) -> {
                Map<String, Object> body = target.token != null ? Map.of("token", target.token) : Map.of("jti", target.jti);
                JsonNode revoked = client.postJson("api/tokens/revoke", body);
                if (admin.json()) {
                    AdminOptions.printJson(out, revoked);
                    return;
                }
                List<String[]> fields = new ArrayList<>();
                fields.add(new String[] {"revoked", revoked.path("revoked").asBoolean() ? "yes" : "no"});
                if (revoked.hasNonNull("jti")) {
                    fields.add(new String[] {"jti", revoked.get("jti").asText()});
                    fields.add(new String[] {"until", revoked.path("until").asText("-")});
                }
                if (revoked.hasNonNull("message")) {
                    fields.add(new String[] {"message", revoked.get("message").asText()});
                }
                Table.fields(out, fields);
            });
        }
    }
}
