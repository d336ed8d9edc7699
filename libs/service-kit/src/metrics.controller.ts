import { Controller, Get, Header } from '@nestjs/common';
import { PROMETHEUS_CONTENT_TYPE, renderMetrics } from '@yardmaster/telemetry';

/**
 * `GET /metrics`: the process's OpenTelemetry metrics in the Prometheus text format,
 * on the service's HTTP port. {@link CoreModule} includes it; services without the
 * core module (provider-sim) list it among their controllers.
 */
@Controller()
export class MetricsController {
  @Get('metrics')
  @Header('Content-Type', PROMETHEUS_CONTENT_TYPE)
  metrics(): Promise<string> {
    return renderMetrics();
  }
}
