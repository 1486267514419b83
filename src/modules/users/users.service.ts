import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, IsNull, Repository } from 'typeorm';
import { isPgError } from '../../database/prepare-database';
import { HousesService } from '../houses/houses.service';
import { CreateUserDto } from './dto/create-user.dto';
import { RegisterDto, UpdateProfileDto } from './dto/register.dto';
import { DEFAULT_LANGUAGE, Language, languageFromAcceptLanguage } from '../../common/i18n/languages';
import { User } from './entities/user.entity';
import { hashPassword, verifyPassword } from './password-hasher';
import { emailTaken, houseOnlyForCoordinators, passwordIsEmail, postcodeRequired, unknownHouse } from './users.errors';
import { AuthUser } from '../../common/auth/auth-user';
import { prepared } from '../../database/prepared';
import { Page, paginate } from '../../common/pagination/page';
import { ListUsersQueryDto } from './dto/list-users.dto';

@Injectable()
export class UsersService {
  private readonly logger = new Logger(UsersService.name);

  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly houses: HousesService,
  ) {}

  /** A new donor or volunteer; without a chosen language, the browser's (Accept-Language), else Dutch. */
  register(dto: RegisterDto, acceptLanguage?: string): Promise<User> {
    // Pickups go to the volunteers near the donor, nearest first: a volunteer without a place would never hear of one.
    if (dto.role === 'volunteer' && !dto.postcode) throw postcodeRequired();
    return this.create({ ...dto, language: dto.language ?? languageFromAcceptLanguage(acceptLanguage) ?? DEFAULT_LANGUAGE, houseId: null });
  }

  /** Changes the caller's own profile; fields left out stay as they are. */
  async updateProfile(caller: AuthUser, dto: UpdateProfileDto): Promise<User> {
    const id = caller.id;
    if (caller.role === 'volunteer' && dto.postcode === null) throw postcodeRequired();
    const changes = Object.fromEntries(Object.entries(dto).filter(([, value]) => value !== undefined));
    if (Object.keys(changes).length > 0) await this.users.update({ id, erasedAt: IsNull() }, changes);
    return (await this.findActive(id)) as User;
  }

  /** Any account; without a chosen language, a coordinator's is their house's first, anyone else's the admin's browser's. */
  async createByAdmin(dto: CreateUserDto, acceptLanguage?: string): Promise<User> {
    let houseId: string | null = null;
    let houseLanguage: Language | undefined;
    if (dto.houseSlug !== undefined) {
      if (dto.role !== 'coordinator') throw houseOnlyForCoordinators();
      const house = await this.houses.findBySlug(dto.houseSlug);
      if (!house) throw unknownHouse(dto.houseSlug);
      houseId = house.id;
      houseLanguage = house.languages[0];
    }
    const { houseSlug: _houseSlug, ...fields } = dto;
    const language = dto.language ?? houseLanguage ?? languageFromAcceptLanguage(acceptLanguage) ?? DEFAULT_LANGUAGE;
    return this.create({ ...fields, language, houseId });
  }

  /** The accounts an admin looks for: by role, by house (its coordinators), by part of the name or e-mail address. */
  async list(query: ListUsersQueryDto): Promise<Page<User>> {
    const found = this.users.createQueryBuilder('user').leftJoinAndSelect('user.house', 'house').where('user.erased_at IS NULL');
    if (query.role !== undefined) found.andWhere('user.role = :role', { role: query.role });
    if (query.house !== undefined) {
      const house = await this.houses.findBySlug(query.house);
      if (!house) throw unknownHouse(query.house, 'house');
      found.andWhere('user.house_id = :houseId', { houseId: house.id });
    }
    const words = query.q?.trim();
    if (words) {
      // The text as it is: % and _ match themselves.
      found.andWhere(`(user.name ILIKE :pattern OR user.email ILIKE :pattern)`, { pattern: `%${words.replace(/[\\%_]/g, '\\$&')}%` });
    }
    return paginate(found, query, { table: 'users', columns: ['created_at', 'id'] });
  }

  /** Who a token names, for every authenticated request: one indexed read, nothing more. */
  async findIdentity(id: string): Promise<AuthUser | undefined> {
    const [row] = await prepared<AuthUser>(
      this.users.manager,
      'user-identity',
      `SELECT id, role, house_id AS "houseId", language FROM users WHERE id = $1 AND erased_at IS NULL`,
      [id],
    );
    return row;
  }

  /** The account behind a token, unless it has been erased since. */
  findActive(id: string): Promise<User | null> {
    return this.users.findOne({ where: { id, erasedAt: IsNull() }, relations: { house: true } });
  }

  async verifyCredentials(email: string, password: string): Promise<User | null> {
    const found = await this.users
      .createQueryBuilder('user')
      .addSelect('user.passwordHash')
      .leftJoinAndSelect('user.house', 'house')
      .where('lower(user.email) = lower(:email)', { email })
      .andWhere('user.erased_at IS NULL')
      .getOne();
    const ok = await verifyPassword(found?.passwordHash, password);
    return ok && found ? found : null;
  }

  /** Creates the bootstrap admin once; an existing account with that e-mail is left as it is. */
  async ensureAdmin(email: string, password: string): Promise<void> {
    const passwordHash = await hashPassword(password);
    const result = await this.users.query(
      `INSERT INTO users (email, password_hash, name, role) VALUES (lower($1), $2, 'Administrator', 'admin')
       ON CONFLICT (lower(email)) DO NOTHING RETURNING id`,
      [email, passwordHash],
    );
    if ((result as unknown[]).length > 0) this.logger.log(`Created the bootstrap admin ${email}`);
  }

  /** Replaces personal data by placeholders; the row stays so that history keeps its references. */
  async erase(manager: EntityManager, id: string, at: Date): Promise<void> {
    await manager.update(User, id, {
      email: `erased-${id}@erased.invalid`,
      name: 'Erased account',
      passwordHash: '!',
      phone: null,
      postcode: null,
      town: null,
      erasedAt: at,
    });
  }

  private async create(fields: Omit<CreateUserDto, 'houseSlug'> & { houseId: string | null }): Promise<User> {
    const { password, ...profile } = fields;
    if (password.trim().toLowerCase() === profile.email) throw passwordIsEmail();
    const passwordHash = await hashPassword(password);
    try {
      const { id } = await this.users.save(this.users.create({ ...profile, passwordHash, vehicle: profile.vehicle ?? 'none' }));
      return (await this.findActive(id)) as User;
    } catch (error) {
      if (isPgError(error, ['23505'])) throw emailTaken();
      throw error;
    }
  }
}
