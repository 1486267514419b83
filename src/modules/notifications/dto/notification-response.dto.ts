import { ApiProperty } from '@nestjs/swagger';
import { LabelsDto } from '../../houses/dto/house-response.dto';
import { Notification, NOTIFICATION_KINDS, NotificationKind } from '../entities/notification.entity';
import { Language } from '../../../common/i18n/languages';
import { NotificationTexts } from '../messages';

export class NotificationResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: NOTIFICATION_KINDS })
  kind: NotificationKind;

  @ApiProperty({ type: LabelsDto, description: 'The text, in nl, fr and en' })
  message: LabelsDto;

  @ApiProperty({ description: 'The text in the reader’s language (their profile’s)' })
  text: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Ids and facts the text is made of' })
  data: Record<string, unknown>;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  readAt: string | null;
}

export function toNotificationResponse(texts: NotificationTexts, language: Language, notification: Notification): NotificationResponseDto {
  return {
    id: notification.id,
    kind: notification.kind,
    message: texts.all(notification.kind, notification.data),
    text: texts.text(notification.kind, notification.data, language),
    data: notification.data,
    createdAt: notification.createdAt.toISOString(),
    readAt: notification.readAt?.toISOString() ?? null,
  };
}
