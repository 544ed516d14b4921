# syntax=docker/dockerfile:1
# EchoBridge container, in the shape of dotnet/dotnet-docker's samples/aspnetapp:
# a restore layer, a Release publish on the SDK image, the ASP.NET Core runtime image, a non-root user.
#   docker build -t echobridge .
#   docker run -p 8080:8080 -p 9999:9999 -p 9999:9999/udp echobridge
# tests/EchoBridge.Tests/Hosting/ContainerImageTests.cs runs this file's build commands and starts the result with
# this file's environment as an unprivileged user, since no Docker engine runs where the tests do.

FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG TARGETARCH
WORKDIR /source

# Restore as a layer of its own: it is rebuilt only when a project file or a pinned version changes.
COPY --link global.json Directory.Build.props Directory.Packages.props ./
COPY --link src/EchoBridge.Contracts/*.csproj src/EchoBridge.Contracts/
COPY --link src/EchoBridge/*.csproj src/EchoBridge/
COPY --link src/EchoBridge.Client/*.csproj src/EchoBridge.Client/
RUN dotnet restore src/EchoBridge/EchoBridge.csproj -a $TARGETARCH

# Then the sources (wwwroot/ holds the host's static assets), and the publish, which carries the dashboard's
# WebAssembly client (EchoBridge.Client) in wwwroot/_framework/.
COPY --link src/ src/
COPY --link wwwroot/ wwwroot/
RUN dotnet publish src/EchoBridge/EchoBridge.csproj -c Release -a $TARGETARCH --no-restore -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
# In a container the product listens on every interface: HTTP on the base image's ASPNETCORE_HTTP_PORTS (8080), echo
# TCP and UDP 9999, and the Unix socket in /tmp (writable by the app user; mount a volume there to reach it from the host).
ENV Listener__BindAddress=any \
    Listener__Port=9999 \
    Listener__Unix__Path=/tmp/echobridge.sock
EXPOSE 8080 9999 9999/udp
WORKDIR /app
COPY --link --from=build /app .
USER $APP_UID
# The runtime image has no curl: the product probes its own /readyz.
HEALTHCHECK --interval=15s --timeout=5s --start-period=10s --retries=3 CMD ["./EchoBridge", "--check-health"]
ENTRYPOINT ["./EchoBridge"]
