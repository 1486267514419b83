import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { UnrecoverableError } from 'bullmq';
import { createTransport, Transporter } from 'nodemailer';
import { DataSource } from 'typeorm';
import { Language } from '../../common/i18n/languages';
import { AppConfig } from '../../config/app-config';
import { NotificationKind } from './entities/notification.entity';
import { NotificationTexts } from './messages';

interface Pending {
  id: string;
  kind: NotificationKind;
  data: Record<string, unknown>;
  emailed_at: Date | null;
  email: string;
  name: string;
  language: Language;
  erased_at: Date | null;
}

/**
 * E-mails notifications through the SMTP server of SMTP_URL, in the recipient's language.
 * Each notification is sent by its own job and marked when the server has taken it: a job
 * that runs again finds it marked and sends nothing. (A crash between the two sends it again,
 * with the same Message-ID, which mail clients show once.)
 */
@Injectable()
export class Mailer implements OnApplicationShutdown {
  private readonly logger = new Logger(Mailer.name);
  private transport?: Transporter;

  constructor(
    private readonly config: AppConfig,
    private readonly texts: NotificationTexts,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  get enabled(): boolean {
    return this.config.SMTP_URL !== undefined;
  }

  async send(notificationId: string): Promise<'sent' | 'already-sent' | 'skipped'> {
    const [row]: Pending[] = await this.dataSource.query(
      `SELECT n.id, n.kind, n.data, n.emailed_at, u.email, u.name, u.language, u.erased_at
         FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.id = $1`,
      [notificationId],
    );
    if (!row || row.erased_at) return 'skipped'; // gone with an erased account
    if (row.emailed_at) return 'already-sent';
    const text = this.texts.text(row.kind, row.data, row.language);
    try {
      await this.transporter().sendMail({
        from: this.config.MAIL_FROM,
        to: { name: row.name, address: row.email },
        subject: this.texts.subject(row.kind, row.data, row.language),
        text: [this.texts.t('email.greeting', row.language, { name: row.name }), '', text, '', '—', this.texts.t('email.footer', row.language)].join('\n'),
        messageId: `<notification-${row.id}@inkind>`,
        headers: { 'Content-Language': row.language, 'X-Inkind-Notification': row.id },
        textEncoding: 'base64',
      });
    } catch (error) {
      throw smtpFailure(error, row.id);
    }
    await this.dataSource.query(`UPDATE notifications SET emailed_at = now() WHERE id = $1 AND emailed_at IS NULL`, [row.id]);
    return 'sent';
  }

  onApplicationShutdown(): void {
    this.transport?.close();
  }

  private transporter(): Transporter {
    if (!this.config.SMTP_URL) throw new Error('SMTP_URL is not set');
    this.transport ??= createTransport(this.config.SMTP_URL, { from: this.config.MAIL_FROM });
    return this.transport;
  }
}

/**
 * What BullMQ keeps of a failed send (in Redis, shown on the dashboard): the SMTP codes and
 * the notification, never the server's words, which quote the recipient's address. A
 * permanent refusal (5xx) is not tried again.
 */
export function smtpFailure(error: unknown, notificationId: string): Error {
  const { code, responseCode, command } = (error ?? {}) as { code?: unknown; responseCode?: unknown; command?: unknown };
  const parts = [typeof code === 'string' ? code : 'ERROR', typeof responseCode === 'number' ? String(responseCode) : undefined, typeof command === 'string' ? `at ${command.split(' ')[0]}` : undefined];
  const message = `SMTP ${parts.filter(Boolean).join(' ')} for notification ${notificationId}`;
  return typeof responseCode === 'number' && responseCode >= 500 ? new UnrecoverableError(message) : new Error(message);
}
