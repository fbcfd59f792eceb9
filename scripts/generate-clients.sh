#!/usr/bin/env bash
# Generates the C# clients in tests/Clients.Tests/Generated again from the OpenAPI documents Register serves (NSwag's C#
# generator), after a change to an API. The test suite fails while they are stale.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/prerequisites.sh
ensure_prerequisites
dotnet build tests/Clients.Tests -c Release -nologo -v quiet
REGISTER_WRITE_CLIENTS=1 dotnet test tests/Clients.Tests -c Release --no-build -nologo --filter "FullyQualifiedName~GeneratedClientTests"
