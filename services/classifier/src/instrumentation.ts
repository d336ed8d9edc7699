// Loaded before anything else so the OpenTelemetry SDK is in place when drivers load.
import { startServiceTelemetry } from '@switchyard/telemetry';

export const telemetry = startServiceTelemetry('classifier');
