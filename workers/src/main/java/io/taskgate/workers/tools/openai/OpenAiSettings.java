package io.taskgate.workers.tools.openai;

import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.Setting;
import io.taskgate.workers.tools.outside.OutsideTarget;

/** Where {@code openai.chat} sends its requests and the model it asks for when a task names none. */
public record OpenAiSettings(OutsideTarget target, String defaultModel) {

    public static OpenAiSettings from(ConfigSource config) {
        return new OpenAiSettings(OutsideTarget.from(config, Setting.OPENAI_BASE_URL), config.required(Setting.OPENAI_MODEL));
    }
}
