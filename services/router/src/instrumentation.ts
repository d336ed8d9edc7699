// Loaded before anything else so the OpenTelemetry SDK is in place when drivers load.
import { startServiceTelemetry } from '@yardmaster/telemetry';

export const telemetry = startServiceTelemetry('router');
