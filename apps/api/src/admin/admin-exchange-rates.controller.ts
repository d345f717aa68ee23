import { AuthUser, CurrentUser, StaffController } from '@app/accounts';
import { ExchangeRatesDto, ReferenceService } from '@app/reference';
import { Body, Put } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';

@StaffController('admin/exchange-rates', 'admin')
export class AdminExchangeRatesController {
  constructor(private readonly reference: ReferenceService) {}

  /** Sets VND per unit for the given currencies; VND salary estimates and legal caps follow at once. */
  @Put()
  @ApiOkResponse({ type: ExchangeRatesDto, description: 'Every configured rate after the change' })
  async replace(@CurrentUser() admin: AuthUser, @Body() dto: ExchangeRatesDto): Promise<ExchangeRatesDto> {
    const rates = await this.reference.setExchangeRates(admin, dto.rates);
    return { rates: Object.fromEntries(rates) };
  }
}
