import { applyDecorators } from '@nestjs/common';
import { IsString, MaxLength, MinLength } from 'class-validator';

/**
 * A string of `min`…`max` characters as class-validator counts them: IsString, MinLength (none when `min`
 * is 0) and MaxLength. They are listed bottom up, as a stack of decorators applies them, so that a value
 * that breaks several is reported in the same order as with the stack.
 */
export function IsText(min: number, max: number): PropertyDecorator {
  return applyDecorators(MaxLength(max), ...(min > 0 ? [MinLength(min)] : []), IsString());
}
