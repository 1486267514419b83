import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { ActorRole, StatusChange, SubjectType } from './entities/status-change.entity';

export interface Actor {
  id: string | null;
  role: ActorRole;
}

export const SYSTEM_ACTOR: Actor = { id: null, role: 'system' };

/** Every state change of offers, needs, matches and pickups, written in the transaction that makes it. */
@Injectable()
export class HistoryService {
  constructor(@InjectRepository(StatusChange) private readonly changes: Repository<StatusChange>) {}

  async record(
    manager: EntityManager,
    subject: { type: SubjectType; id: string },
    actor: Actor,
    from: string | null,
    to: string,
    reason?: string,
  ): Promise<void> {
    await manager.insert(StatusChange, {
      subjectType: subject.type,
      subjectId: subject.id,
      actorId: actor.id,
      actorRole: actor.role,
      fromStatus: from,
      toStatus: to,
      reason: reason ?? null,
    });
  }

  list(type: SubjectType, id: string): Promise<StatusChange[]> {
    return this.changes.find({ where: { subjectType: type, subjectId: id }, order: { at: 'ASC', id: 'ASC' } });
  }
}
