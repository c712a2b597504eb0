# The one Taskgate image; its command picks the service (ingress, policy, worker, audit-sink, dev, ...).
# Built by the project's own build: docker build -t taskgate:local .

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -ntp -DskipTests -Dmaven.test.skip=true package

FROM eclipse-temurin:17-jre
# curl answers the health checks of docker-compose.yml.
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --home-dir /var/lib/taskgate taskgate
COPY --from=build /src/launcher/target/taskgate.jar /opt/taskgate/taskgate.jar
COPY --from=build /src/launcher/target/lib /opt/taskgate/lib
USER taskgate
WORKDIR /var/lib/taskgate
ENV TASKGATE_HOST=0.0.0.0 \
    TASKGATE_DATA_DIR=/var/lib/taskgate \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+UseSerialGC"
EXPOSE 8080 8081 8082 8083
ENTRYPOINT ["java", "-jar", "/opt/taskgate/taskgate.jar"]
CMD ["--help"]
