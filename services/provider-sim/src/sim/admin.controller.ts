import { Body, Controller, Delete, Get, HttpCode, HttpException, Inject, Param, Put } from '@nestjs/common';
import { faultBookSchema, faultProfileSchema, type FaultProfile } from './faults.js';
import { SimState } from './state.js';

function parse<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }, body: unknown): T {
  const r = schema.safeParse(body);
  if (!r.success) throw new HttpException({ error: r.error.issues.map((i) => `${i.path.map(String).join('.') || 'body'}: ${i.message}`).join('; ') }, 400);
  return r.data;
}

/**
 * Runtime control of provider-sim for tests and demos: fault profiles per model, and
 * what it received per model and per window.
 */
@Controller('admin')
export class AdminController {
  constructor(@Inject(SimState) private readonly sim: SimState) {}

  @Get('faults')
  faults(): Record<string, FaultProfile> {
    return this.sim.faults.all();
  }

  /** Replaces every profile: `{"<model>|*": {…profile}}`. */
  @Put('faults')
  replace(@Body() body: unknown): Record<string, FaultProfile> {
    this.sim.faults.replace(parse(faultBookSchema, body));
    return this.sim.faults.all();
  }

  @Put('faults/:model')
  setOne(@Param('model') model: string, @Body() body: unknown): Record<string, FaultProfile> {
    this.sim.faults.set(model, parse(faultProfileSchema, body));
    return this.sim.faults.all();
  }

  @Delete('faults')
  @HttpCode(204)
  clear(): void {
    this.sim.faults.replace({});
  }

  @Get('stats')
  stats(): ReturnType<SimState['stats']['snapshot']> {
    return this.sim.stats.snapshot();
  }

  @Delete('stats')
  @HttpCode(204)
  resetStats(): void {
    this.sim.stats.reset();
  }
}
