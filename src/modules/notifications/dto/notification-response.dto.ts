import { ApiProperty } from '@nestjs/swagger';
import { LabelsDto } from '../../houses/dto/house-response.dto';
import { Notification, NOTIFICATION_KINDS, NotificationKind } from '../entities/notification.entity';
import { renderNotification } from '../messages';

export class NotificationResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: NOTIFICATION_KINDS })
  kind: NotificationKind;

  @ApiProperty({ type: LabelsDto, description: 'The text, in nl, fr and en' })
  message: LabelsDto;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Ids and facts the text is made of' })
  data: Record<string, unknown>;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  readAt: string | null;
}

export function toNotificationResponse(notification: Notification): NotificationResponseDto {
  return {
    id: notification.id,
    kind: notification.kind,
    message: renderNotification(notification.kind, notification.data),
    data: notification.data,
    createdAt: notification.createdAt.toISOString(),
    readAt: notification.readAt?.toISOString() ?? null,
  };
}
