//! Customers.

use super::common::prelude::*;

pub fn customers_search(ctx: &AppContext, text: &str, limit: u32) -> AppResult<Vec<Customer>> {
    access::staff(ctx)?;
    store::search_customers(&lock(&ctx.db()), text, limit)
}

pub fn customer_get(ctx: &AppContext, id: i64) -> AppResult<Customer> {
    access::staff(ctx)?;
    store::get_customer(&lock(&ctx.db()), id)
}

pub fn customer_create(ctx: &AppContext, input: &CustomerInput) -> AppResult<Customer> {
    let by = access::staff(ctx)?;
    store::create_customer(&lock(&ctx.db()), input, by)
}

pub fn customer_update(ctx: &AppContext, id: i64, input: &CustomerInput) -> AppResult<Customer> {
    let by = access::staff(ctx)?;
    store::update_customer(&lock(&ctx.db()), id, input, by)
}
