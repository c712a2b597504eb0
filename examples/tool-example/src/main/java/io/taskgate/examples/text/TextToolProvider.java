package io.taskgate.examples.text;

import io.taskgate.tool.api.Tool;
import io.taskgate.tool.api.ToolContext;
import io.taskgate.tool.api.ToolProvider;
import java.util.List;

/** The plug-in's entry point, named in {@code META-INF/services/io.taskgate.tool.api.ToolProvider}. */
public final class TextToolProvider implements ToolProvider {

    @Override
    public List<Tool> tools(ToolContext context) {
        return List.of(new TextTool());
    }
}
