import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { unknownCategory } from '../../common/errors/domain-error';
import { Category } from './entities/category.entity';

@Injectable()
export class CatalogService {
  constructor(@InjectRepository(Category) private readonly categories: Repository<Category>) {}

  list(): Promise<Category[]> {
    return this.categories.find({ order: { position: 'ASC' } });
  }

  /** Refuses a category code that is not in the catalogue, naming the field. */
  async assertExists(code: string, field = 'categoryCode'): Promise<void> {
    if (!(await this.categories.existsBy({ code }))) {
      throw unknownCategory(field, code);
    }
  }
}
