import { Controller, Get } from '@nestjs/common';

/** provider-sim has no dependencies: live means ready. */
@Controller()
export class HealthController {
  @Get('healthz')
  healthz(): { status: string } {
    return { status: 'ok' };
  }

  @Get('readyz')
  readyz(): { status: string } {
    return { status: 'ready' };
  }
}
