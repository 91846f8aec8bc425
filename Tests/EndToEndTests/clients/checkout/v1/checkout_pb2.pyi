from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class PaymentMethod(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PAYMENT_METHOD_UNSPECIFIED: _ClassVar[PaymentMethod]
    CARD: _ClassVar[PaymentMethod]
    CARD_TEST: _ClassVar[PaymentMethod]
    CASH_ON_DELIVERY: _ClassVar[PaymentMethod]
    BANK_TRANSFER: _ClassVar[PaymentMethod]

class PaymentIntentStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PAYMENT_INTENT_STATUS_UNSPECIFIED: _ClassVar[PaymentIntentStatus]
    REQUIRES_PAYMENT_METHOD: _ClassVar[PaymentIntentStatus]
    REQUIRES_ACTION: _ClassVar[PaymentIntentStatus]
    PROCESSING: _ClassVar[PaymentIntentStatus]
    SUCCEEDED: _ClassVar[PaymentIntentStatus]
    CANCELED: _ClassVar[PaymentIntentStatus]
PAYMENT_METHOD_UNSPECIFIED: PaymentMethod
CARD: PaymentMethod
CARD_TEST: PaymentMethod
CASH_ON_DELIVERY: PaymentMethod
BANK_TRANSFER: PaymentMethod
PAYMENT_INTENT_STATUS_UNSPECIFIED: PaymentIntentStatus
REQUIRES_PAYMENT_METHOD: PaymentIntentStatus
REQUIRES_ACTION: PaymentIntentStatus
PROCESSING: PaymentIntentStatus
SUCCEEDED: PaymentIntentStatus
CANCELED: PaymentIntentStatus

class OrderItem(_message.Message):
    __slots__ = ("sku", "quantity")
    SKU_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    sku: str
    quantity: int
    def __init__(self, sku: _Optional[str] = ..., quantity: _Optional[int] = ...) -> None: ...

class ValidatedItem(_message.Message):
    __slots__ = ("sku", "name", "quantity", "unit_price_cents", "line_total_cents")
    SKU_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    UNIT_PRICE_CENTS_FIELD_NUMBER: _ClassVar[int]
    LINE_TOTAL_CENTS_FIELD_NUMBER: _ClassVar[int]
    sku: str
    name: str
    quantity: int
    unit_price_cents: int
    line_total_cents: int
    def __init__(self, sku: _Optional[str] = ..., name: _Optional[str] = ..., quantity: _Optional[int] = ..., unit_price_cents: _Optional[int] = ..., line_total_cents: _Optional[int] = ...) -> None: ...

class ValidateOrderItemsInsertRequest(_message.Message):
    __slots__ = ("items", "payment_method", "email", "customer_name", "currency", "locale", "idempotency_key")
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_METHOD_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_NAME_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    LOCALE_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    items: _containers.RepeatedCompositeFieldContainer[OrderItem]
    payment_method: PaymentMethod
    email: str
    customer_name: str
    currency: str
    locale: str
    idempotency_key: str
    def __init__(self, items: _Optional[_Iterable[_Union[OrderItem, _Mapping]]] = ..., payment_method: _Optional[_Union[PaymentMethod, str]] = ..., email: _Optional[str] = ..., customer_name: _Optional[str] = ..., currency: _Optional[str] = ..., locale: _Optional[str] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class ValidateOrderItemsInsertResponse(_message.Message):
    __slots__ = ("items", "subtotal_cents", "shipping_cents", "total_cents", "currency", "payment_method", "payment_intent_id", "client_secret", "idempotency_key")
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    SUBTOTAL_CENTS_FIELD_NUMBER: _ClassVar[int]
    SHIPPING_CENTS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_CENTS_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_METHOD_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_INTENT_ID_FIELD_NUMBER: _ClassVar[int]
    CLIENT_SECRET_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    items: _containers.RepeatedCompositeFieldContainer[ValidatedItem]
    subtotal_cents: int
    shipping_cents: int
    total_cents: int
    currency: str
    payment_method: PaymentMethod
    payment_intent_id: str
    client_secret: str
    idempotency_key: str
    def __init__(self, items: _Optional[_Iterable[_Union[ValidatedItem, _Mapping]]] = ..., subtotal_cents: _Optional[int] = ..., shipping_cents: _Optional[int] = ..., total_cents: _Optional[int] = ..., currency: _Optional[str] = ..., payment_method: _Optional[_Union[PaymentMethod, str]] = ..., payment_intent_id: _Optional[str] = ..., client_secret: _Optional[str] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class ConfirmPaymentRequest(_message.Message):
    __slots__ = ("payment_intent_id", "client_secret", "card_number", "return_url")
    PAYMENT_INTENT_ID_FIELD_NUMBER: _ClassVar[int]
    CLIENT_SECRET_FIELD_NUMBER: _ClassVar[int]
    CARD_NUMBER_FIELD_NUMBER: _ClassVar[int]
    RETURN_URL_FIELD_NUMBER: _ClassVar[int]
    payment_intent_id: str
    client_secret: str
    card_number: str
    return_url: str
    def __init__(self, payment_intent_id: _Optional[str] = ..., client_secret: _Optional[str] = ..., card_number: _Optional[str] = ..., return_url: _Optional[str] = ...) -> None: ...

class ConfirmPaymentResponse(_message.Message):
    __slots__ = ("payment_intent_id", "status", "decline_code", "message", "redirect_url")
    PAYMENT_INTENT_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    DECLINE_CODE_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    REDIRECT_URL_FIELD_NUMBER: _ClassVar[int]
    payment_intent_id: str
    status: PaymentIntentStatus
    decline_code: str
    message: str
    redirect_url: str
    def __init__(self, payment_intent_id: _Optional[str] = ..., status: _Optional[_Union[PaymentIntentStatus, str]] = ..., decline_code: _Optional[str] = ..., message: _Optional[str] = ..., redirect_url: _Optional[str] = ...) -> None: ...

class CompleteRedirectRequest(_message.Message):
    __slots__ = ("payment_intent_id", "redirect_status")
    PAYMENT_INTENT_ID_FIELD_NUMBER: _ClassVar[int]
    REDIRECT_STATUS_FIELD_NUMBER: _ClassVar[int]
    payment_intent_id: str
    redirect_status: str
    def __init__(self, payment_intent_id: _Optional[str] = ..., redirect_status: _Optional[str] = ...) -> None: ...

class CompleteRedirectResponse(_message.Message):
    __slots__ = ("payment_intent_id", "status", "redirect_status")
    PAYMENT_INTENT_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    REDIRECT_STATUS_FIELD_NUMBER: _ClassVar[int]
    payment_intent_id: str
    status: PaymentIntentStatus
    redirect_status: str
    def __init__(self, payment_intent_id: _Optional[str] = ..., status: _Optional[_Union[PaymentIntentStatus, str]] = ..., redirect_status: _Optional[str] = ...) -> None: ...
