package io.taskgate.workers.tools;

import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.Setting;
import io.taskgate.workers.tools.email.SmtpSettings;
import io.taskgate.workers.tools.openai.OpenAiSettings;
import io.taskgate.workers.tools.outside.OutsideTarget;
import io.taskgate.workers.tools.settings.ToolSettingsTable;

/**
 * What a worker's tools need beyond {@link io.taskgate.workers.WorkerConfig}: where SerpAPI, the
 * OpenAI-compatible API and the SMTP server are, and each tool's own settings ({@code tools:}).
 */
public record OutsideToolsConfig(OutsideTarget serpApi, OpenAiSettings openAi, SmtpSettings smtp, ToolSettingsTable tools) {

    public static OutsideToolsConfig from(ConfigSource config) {
        return new OutsideToolsConfig(
                OutsideTarget.from(config, Setting.SERPAPI_URL),
                OpenAiSettings.from(config),
                SmtpSettings.from(config),
                ToolSettingsTable.from(config));
    }
}
