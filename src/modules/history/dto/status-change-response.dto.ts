import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ActorRole, StatusChange } from '../entities/status-change.entity';

export class StatusChangeResponseDto {
  @ApiProperty({ format: 'date-time' })
  at: string;

  @ApiProperty({ enum: ['donor', 'volunteer', 'coordinator', 'admin', 'system'], description: 'The role of who made the change' })
  actor: ActorRole;

  @ApiProperty({ nullable: true, type: String, description: 'Null for the creation' })
  from: string | null;

  @ApiProperty()
  to: string;

  @ApiPropertyOptional()
  reason?: string;
}

export function toStatusChangeResponse(change: StatusChange): StatusChangeResponseDto {
  return {
    at: change.at.toISOString(),
    actor: change.actorRole,
    from: change.fromStatus,
    to: change.toStatus,
    ...(change.reason ? { reason: change.reason } : {}),
  };
}
