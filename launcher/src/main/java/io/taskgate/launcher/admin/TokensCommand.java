package io.taskgate.launcher.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Access tokens. Revoking one needs {@code POST /api/tokens/revoke}, which this version of
 * ingress does not have yet; disabling the agent stops all of its tokens.
 */
@Command(name = "tokens", mixinStandardHelpOptions = true, description = "Access tokens, through the admin API.",
        subcommands = TokensCommand.Mint.class)
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
}
