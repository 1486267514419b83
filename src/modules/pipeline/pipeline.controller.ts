import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../common/auth/decorators';
import { Pipeline, PIPELINE_STAGES, PipelineService } from './pipeline.service';

const counts = (statuses: readonly string[]) => ({
  type: 'object' as const,
  properties: Object.fromEntries(statuses.map((status) => [status, { type: 'integer' as const }])),
  additionalProperties: false,
});

class PipelineResponseDto {
  @ApiProperty(counts(PIPELINE_STAGES.needs))
  needs: Record<string, number>;

  @ApiProperty(counts(PIPELINE_STAGES.offers))
  offers: Record<string, number>;

  @ApiProperty(counts(PIPELINE_STAGES.matches))
  matches: Record<string, number>;

  @ApiProperty(counts(PIPELINE_STAGES.pickups))
  pickups: Record<string, number>;
}

@ApiTags('admin')
@ApiBearerAuth()
@Controller('api/pipeline')
export class PipelineController {
  constructor(private readonly pipeline: PipelineService) {}

  @Get()
  @Roles('admin')
  @ApiOkResponse({ type: PipelineResponseDto, description: 'How many needs, offers, matches and pickups are in each status' })
  async counts(): Promise<PipelineResponseDto> {
    const pipeline: Pipeline = await this.pipeline.counts();
    return { needs: pipeline.needs, offers: pipeline.offers, matches: pipeline.matches, pickups: pipeline.pickups };
  }
}
